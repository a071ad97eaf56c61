"""Reading the FHIR R4 data of a CDS Hooks call: the draft orders, the medicines, the
pregnancy and breastfeeding observations.

Every resource is validated with fhir.resources' R4B models (R4 and R4B agree on all of
these), so a resource that is not valid FHIR is refused with what is wrong with it
(`InvalidData`, a 400), not read in part. A Bundle without `type` is read as a
`collection`: the specification's own examples of `draftOrders` leave it out.

What counts:
- a **nutrient order** is a `MedicationRequest` (its medication) or a `NutritionOrder` (each
  `supplement`, its `type` and `productName`) that is coded in the nutrient code system
  (`practice.fhir.codes.nutrient_system()`; an unknown code is answered as not checked),
  or whose text or a coding's display equals a nutrient's Dutch or English name (case
  ignored). A supplement of a NutritionOrder, or a MedicationRequest with text but no code,
  that names no nutrient is answered as not checked: it may be a supplement we do not
  know. A MedicationRequest coded only in other systems is a medicine, not ours to check.
  An order that is cancelled, revoked or entered in error names nothing.
- a **medicine** is a `MedicationStatement` or `MedicationRequest` that is not stopped,
  completed, cancelled, not taken or entered in error, coded with an ATC substance code
  (`http://www.whocc.no/atc`, seven characters as the practice takes them: N06AF03), in its
  `medicationCodeableConcept` or in the `Medication` its `medicationReference` points at
  (contained, or in the same Bundle). One without such a code is listed as not read.
- **pregnant** (breastfeeding) is what the latest `Observation` of LOINC 82810-3 (63895-7)
  says, by its effective time, else its `issued` time; only final, amended, corrected and
  preliminary ones count. Its value counts as yes when it is one of `PREGNANT` (`BREASTFEEDING`)
  or `valueBoolean` true; "not pregnant", "unknown" and no value count as no. Of several
  latest ones with the same time, one yes is enough.
- an `OperationOutcome` with an error, in place of the data or inside its Bundle, means the
  EHR could not get the data (`Unavailable`), as the specification has EHRs say so.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pydantic
from django.utils.translation import gettext as _
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.resource import Resource

from gutbrain.models import ATC_CODE_RE
from practice.fhir.codes import (
    ATC_SYSTEM,
    LOINC_SYSTEM,
    SNOMED_SYSTEM,
    nutrient_system,
)

# The answers that mean yes: LOINC's answer lists of 82810-3 (LL4129-4) and 63895-7, and
# the SNOMED CT findings EHRs use in their place.
PREGNANT = frozenset({(LOINC_SYSTEM, "LA15173-0"), (SNOMED_SYSTEM, "77386006")})
BREASTFEEDING = frozenset({(LOINC_SYSTEM, "LA29252-6"), (SNOMED_SYSTEM, "413712001")})
OBSERVATION_STATUSES = frozenset({"final", "amended", "corrected", "preliminary"})
NOT_TAKEN = frozenset(
    {"stopped", "completed", "cancelled", "not-taken", "entered-in-error", "revoked"}
)
# An order in one of these states is no longer being made.
WITHDRAWN = frozenset({"cancelled", "revoked", "entered-in-error"})
ORDERS = frozenset({"MedicationRequest", "NutritionOrder"})
# How many of pydantic's messages a 400 repeats.
MAX_MESSAGES = 3


class InvalidData(Exception):
    """Data of the call that is not what the specification or FHIR says: a 400 naming
    `field` (`context.draftOrders`, `prefetch.medications`)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Unavailable(Exception):
    """The data could not be had: the EHR said so, or it cannot be fetched."""


def _describe(exc: pydantic.ValidationError) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    parts = [
        f"{'.'.join(str(step) for step in error['loc']) or '(root)'}: {error['msg']}"
        for error in errors[:MAX_MESSAGES]
    ]
    if len(errors) > MAX_MESSAGES:
        parts.append(_("and %(count)d more") % {"count": len(errors) - MAX_MESSAGES})
    return "; ".join(parts)


def parse_resource(data: Any, field: str) -> Resource:
    """A FHIR resource from its JSON, validated; `InvalidData` otherwise."""
    if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
        raise InvalidData(field, _("Not a FHIR resource: an object with a resourceType."))
    resource_type = data["resourceType"]
    try:
        model = get_fhir_model_class(resource_type)
    except ValueError:
        model = None
    if model is None or not issubclass(model, Resource):
        raise InvalidData(
            field, _("%(type)s is not a FHIR R4 resource type.") % {"type": resource_type}
        )
    if resource_type == "Bundle" and "type" not in data:
        data = {**data, "type": "collection"}
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise InvalidData(
            field,
            _("Not a valid FHIR %(type)s: %(errors)s")
            % {"type": resource_type, "errors": _describe(exc)},
        ) from None


def resources_of(resource: Resource) -> list[Resource]:
    """The resources of a Bundle's entries, or the resource itself."""
    if resource.get_resource_type() != "Bundle":
        return [resource]
    return [entry.resource for entry in resource.entry or () if entry.resource is not None]


def next_page(resource: Resource) -> str | None:
    """The URL of a Bundle's next page, if it has one."""
    if resource.get_resource_type() != "Bundle":
        return None
    return next((link.url for link in resource.link or () if link.relation == "next"), None)


def reports_failure(resources: Iterable[Resource]) -> bool:
    """Whether an OperationOutcome among them reports an error."""
    return any(
        r.get_resource_type() == "OperationOutcome"
        and any(issue.severity in ("fatal", "error") for issue in r.issue or ())
        for r in resources
    )


# Concepts ---------------------------------------------------------------------------------


def _codings(concept) -> list:
    return list(concept.coding or ()) if concept is not None else []


def _texts(concept) -> list[str]:
    if concept is None:
        return []
    texts = [concept.text or ""] + [coding.display or "" for coding in concept.coding or ()]
    return [text.strip() for text in texts if text and text.strip()]


class Medications:
    """Finds the `Medication` a `medicationReference` points at: contained in the resource,
    or an entry of the same Bundle."""

    def __init__(self, resources: Iterable[Resource], full_urls: dict[str, Resource]):
        self.by_reference = dict(full_urls)
        for r in resources:
            if r.get_resource_type() == "Medication" and r.id:
                self.by_reference[f"Medication/{r.id}"] = r

    def concept(self, resource: Resource):
        """The medication's CodeableConcept, or a bare one holding the reference's display."""
        if resource.medicationCodeableConcept is not None:
            return resource.medicationCodeableConcept
        reference = resource.medicationReference
        if reference is None:
            return None
        target = None
        if reference.reference and reference.reference.startswith("#"):
            wanted = reference.reference[1:]
            target = next(
                (c for c in resource.contained or () if c.id == wanted),
                None,
            )
        elif reference.reference:
            target = self.by_reference.get(reference.reference)
        if target is not None and target.get_resource_type() == "Medication" and target.code:
            return target.code
        return _Text(reference.display or "")


@dataclass(frozen=True)
class _Text:
    """A concept that is only a text, like a CodeableConcept without codings."""

    text: str
    coding: tuple = ()


def medications_of(bundle: Resource) -> Medications:
    """The Medication finder of a Bundle's entries, by id and by `fullUrl`."""
    full_urls = {
        entry.fullUrl: entry.resource
        for entry in bundle.entry or ()
        if entry.fullUrl and entry.resource is not None
    }
    return Medications(resources_of(bundle), full_urls)


# Orders -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedNutrient:
    """What one order (or one supplement of a NutritionOrder) names."""

    label: str
    """How the order names it, for the words of a card."""
    slug: str | None
    """The knowledge base's nutrient; None when it names none we know."""
    code: str = ""
    """The code in the nutrient code system, when the order gives one we do not know."""


@dataclass(frozen=True)
class NutrientNames:
    """The published nutrients: slugs, and slug by lower-cased Dutch and English name."""

    slugs: frozenset[str]
    by_name: dict[str, str]

    def find(self, text: str) -> str | None:
        return self.by_name.get(text.strip().casefold())


def _named(concept, extra_texts: list[str], names: NutrientNames, supplement: bool):
    system = nutrient_system()
    coded = [c for c in _codings(concept) if c.system == system and c.code]
    if coded:
        coding = coded[0]
        label = coding.display or (concept.text if concept is not None else None) or coding.code
        if coding.code in names.slugs:
            return NamedNutrient(label=label, slug=coding.code)
        return NamedNutrient(label=label, slug=None, code=coding.code)
    texts = _texts(concept) + [text.strip() for text in extra_texts if text and text.strip()]
    for text in texts:
        slug = names.find(text)
        if slug is not None:
            return NamedNutrient(label=text, slug=slug)
    if supplement or not _codings(concept):
        return NamedNutrient(label=texts[0] if texts else "", slug=None)
    return None  # coded in another system: a medicine or another order, not ours


def order_key(resource: Resource) -> str:
    """How `context.selections` names an order: `MedicationRequest/103`."""
    return f"{resource.get_resource_type()}/{resource.id}"


def nutrients_ordered(orders: Iterable[Resource], draft_orders: Resource, names: NutrientNames):
    """What each order names, in order; orders that name no nutrient and are not a
    supplement are left out."""
    medications = medications_of(draft_orders)
    found: list[NamedNutrient] = []
    for order in orders:
        if order.get_resource_type() in ORDERS and order.status in WITHDRAWN:
            continue
        kind = order.get_resource_type()
        if kind == "MedicationRequest":
            named = _named(medications.concept(order), [], names, supplement=False)
            if named is not None:
                found.append(named)
        elif kind == "NutritionOrder":
            for supplement in order.supplement or ():
                extra = [supplement.productName] if supplement.productName else []
                named = _named(supplement.type, extra, names, supplement=True)
                if named is not None:
                    found.append(named)
    return found


# Medicines --------------------------------------------------------------------------------


@dataclass
class Medicines:
    """The ATC codes of the medicines taken, with the EHR's name of each ("" when it gives
    none), and the names of those without an ATC code: they could not be checked."""

    names: dict[str, str] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)

    def add(self, other: "Medicines") -> None:
        for code, name in other.names.items():
            self.names[code] = self.names.get(code) or name
        self.unread.extend(other.unread)


def atc_codes(concept) -> list[tuple[str, str]]:
    """The concept's ATC substance codes, each with its display."""
    found = []
    for coding in _codings(concept):
        code = (coding.code or "").strip().upper()
        if coding.system == ATC_SYSTEM and ATC_CODE_RE.match(code):
            found.append((code, (coding.display or "").strip()))
    return found


def medicines_in(
    resources: list[Resource], medications: Medications, *, only_coded: bool = False
) -> Medicines:
    """The medicines of the MedicationStatements and MedicationRequests among `resources`.
    With `only_coded` (the draft orders) those without an ATC code are left out: they are
    orders of something else, or nutrients."""
    medicines = Medicines()
    for resource in resources:
        if resource.get_resource_type() not in ("MedicationStatement", "MedicationRequest"):
            continue
        if resource.status in NOT_TAKEN:
            continue
        concept = medications.concept(resource)
        codes = atc_codes(concept)
        for code, display in codes:
            name = (concept.text or "").strip() if concept is not None else ""
            medicines.names[code] = medicines.names.get(code) or display or name
        if not codes and not only_coded:
            texts = _texts(concept)
            medicines.unread.append(texts[0] if texts else "")
    return medicines


# Observations -----------------------------------------------------------------------------


def _moment(value) -> datetime | None:
    """A FHIR date, dateTime or instant as a moment to sort by; a partial date ("2026",
    "2026-03") as its first day."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", value)
        if match:
            return datetime(int(match[1]), int(match[2] or 1), 1, tzinfo=UTC)
    return None


def _when(observation) -> datetime | None:
    period = observation.effectivePeriod
    for value in (
        observation.effectiveDateTime,
        observation.effectiveInstant,
        period.end if period else None,
        period.start if period else None,
        observation.issued,
    ):
        moment = _moment(value)
        if moment is not None:
            return moment
    return None


def _says_yes(observation, answers: frozenset[tuple[str, str]]) -> bool:
    if observation.valueBoolean is True:
        return True
    return any(
        (coding.system, (coding.code or "").strip()) in answers
        for coding in _codings(observation.valueCodeableConcept)
    )


def _observations(resources: Iterable[Resource], loinc_code: str) -> Iterator:
    for r in resources:
        if r.get_resource_type() != "Observation" or r.status not in OBSERVATION_STATUSES:
            continue
        if any(c.system == LOINC_SYSTEM and c.code == loinc_code for c in _codings(r.code)):
            yield r


def observed_state(
    resources: Iterable[Resource], *, loinc_code: str, answers: frozenset[tuple[str, str]]
) -> bool:
    """Whether the latest observation of `loinc_code` answers yes (see the module)."""
    observations = list(_observations(resources, loinc_code))
    if not observations:
        return False
    earliest = datetime.min.replace(tzinfo=UTC)
    latest = max(_when(o) or earliest for o in observations)
    return any(_says_yes(o, answers) for o in observations if (_when(o) or earliest) == latest)
