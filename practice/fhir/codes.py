"""The code systems gutbrain writes and reads in FHIR resources and CDS Hooks calls.

One module so that the export, the import and the CDS Hooks service can never disagree on
a system URI."""

from django.conf import settings

ATC_SYSTEM = "http://www.whocc.no/atc"
AGB_SYSTEM = "http://fhir.nl/fhir/NamingSystem/agb-z"
LOINC_SYSTEM = "http://loinc.org"
UCUM_SYSTEM = "http://unitsofmeasure.org"
# HL7 v3 ActCode: the kind of a DetectedIssue (`DRG`, a drug interaction) and of its
# mitigation (`1`, "Therapy Appropriate": the practitioner's written acknowledgement).
ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
SNOMED_SYSTEM = "http://snomed.info/sct"
# LOINC codes of the observations a CDS Hooks prefetch carries.
LOINC_PREGNANCY_STATUS = "82810-3"
LOINC_BREASTFEEDING_STATUS = "63895-7"


def canonical(path: str) -> str:
    """A canonical URL of ours: `DJANGO_FHIR_CANONICAL_BASE` + `/path`."""
    return f"{settings.FHIR_CANONICAL_BASE}/{path.lstrip('/')}"


def nutrient_system() -> str:
    """The nutrient code system (codes are nutrient slugs), served at
    `/api/v1/fhir/CodeSystem/nutrient`."""
    return canonical("CodeSystem/nutrient")


def client_number_system(practice_id: int) -> str:
    """The identifier system of client numbers: they are unique within one practice."""
    return canonical(f"NamingSystem/practice-{practice_id}/client-number")


def protocol_system(practice_id: int) -> str:
    """The identifier system of issued protocols: `{consult id}-v{version}` within the
    practice's installation."""
    return canonical(f"NamingSystem/practice-{practice_id}/protocol")
