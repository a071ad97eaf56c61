"""Reading a medication list in FHIR R4 into a client's medicines.

A GP's or pharmacy's list comes as a `Bundle` of `MedicationStatement`s and
`MedicationRequest`s, or as one of them. It is validated with fhir.resources' R4B models
(input that is not valid FHIR is refused whole, `InvalidMedicationList`); then each entry
either becomes a medicine of the client or is skipped for one reason:

- `unsupported_resource_type`: not a MedicationStatement or MedicationRequest;
- `not_active`: a statement or request no longer in force (stopped, completed, entered in
  error, not taken, cancelled, a draft), see `ACTIVE`;
- `not_atc_coded`: its medication has no ATC coding. Many Dutch lists carry G-Standaard
  codes only: the therapist adds those by hand;
- `invalid_atc_code`: its ATC coding is not a complete substance code (N05BA04);
- `duplicate`: the client already takes it, or an entry before it has the same code.

The medication is the resource's `medicationCodeableConcept`, or the `Medication` its
`medicationReference` names, contained in it (`#id`) or in the bundle (by full URL or
`Medication/id`); nothing is fetched. Intake times come from the dosages' timing
(`when` and `timeOfDay`), as gutbrain's own export writes them.

`import_medications` does the same work for a preview (`dry_run`) and for real; the
medicines are added with `practice.services.client_add_medications`.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir_core.fhirabstractmodel import FHIRAbstractModel
from pydantic import ValidationError as PydanticValidationError

from gutbrain.models import Medicine, validate_atc_code
from practice import schedule, services
from practice.fhir import codes
from practice.models import Client, ClientMedication

# More entries than any real medication list holds; validating this many takes a tenth
# of a second. A bundle with more is refused before it is validated.
MAX_ENTRIES = 500
# The validation problems a refusal names; the rest are counted.
MAX_PROBLEMS_SHOWN = 10

MODELS: dict[str, type[FHIRAbstractModel]] = {
    "Bundle": Bundle,
    "MedicationStatement": MedicationStatement,
    "MedicationRequest": MedicationRequest,
}
# The statuses of a medicine the client takes, or is about to take again: the check must
# know of it. Anything else is `not_active`.
ACTIVE = {
    "MedicationStatement": frozenset({"active", "intended", "on-hold", "unknown"}),
    "MedicationRequest": frozenset({"active", "on-hold", "unknown"}),
}
# FHIR's EventTiming as a medicine's intake moment (the meals go with their moments).
MOMENTS = {
    "MORN": "morning",
    "CM": "morning",
    "NOON": "midday",
    "CD": "midday",
    "EVE": "evening",
    "CV": "evening",
    "HS": "bedtime",
}
NAME_LENGTH = ClientMedication._meta.get_field("name").max_length


class SkipReason(models.TextChoices):
    NOT_ATC_CODED = (
        "not_atc_coded",
        gettext_lazy("no ATC code (for instance a G-Standaard code only)"),
    )
    INVALID_ATC_CODE = "invalid_atc_code", gettext_lazy("not a valid ATC code")
    UNSUPPORTED_RESOURCE_TYPE = (
        "unsupported_resource_type",
        gettext_lazy("not a medication statement or prescription"),
    )
    DUPLICATE = (
        "duplicate",
        gettext_lazy("already on the client's medicines, or earlier in this list"),
    )
    NOT_ACTIVE = (
        "not_active",
        gettext_lazy("no longer taken (stopped, completed or entered in error)"),
    )


class InvalidMedicationList(Exception):
    """The document is not a FHIR medication list: nothing is imported."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Added:
    index: int
    atc_code: str
    name: str
    intake_times: tuple[str, ...]

    def intake_times_words(self) -> str:
        return schedule.intake_times_words(list(self.intake_times))


@dataclass(frozen=True)
class Skipped:
    """`index`: the entry's position in the bundle, from 0. `resource_type` and `label`
    (the medication's name or code, as far as the entry gives one) are for the preview."""

    index: int
    reason: SkipReason
    resource_type: str
    label: str = ""


@dataclass(frozen=True)
class ImportResult:
    added: tuple[Added, ...]
    skipped: tuple[Skipped, ...]

    @property
    def needs_hand_entry(self) -> bool:
        """Whether some medicine can only be added by hand (no ATC code in the list)."""
        return any(s.reason == SkipReason.NOT_ATC_CODED for s in self.skipped)


def _location(location: tuple) -> str:
    """A pydantic error's location as a path in the document: `entry[0].resource.status`."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path.lstrip(".") or "/"


def _validation_message(exc: PydanticValidationError) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    shown = [f"{_location(e['loc'])}: {e['msg']}" for e in errors[:MAX_PROBLEMS_SHOWN]]
    message = _("Not valid FHIR R4: %(problems)s.") % {"problems": "; ".join(shown)}
    hidden = len(errors) - len(shown)
    if hidden:
        message += " " + ngettext(
            "And %(count)d more problem.", "And %(count)d more problems.", hidden
        ) % {"count": hidden}
    return message


def parse(document: Any) -> FHIRAbstractModel:
    """The document as a validated R4B `Bundle`, `MedicationStatement` or
    `MedicationRequest`; `InvalidMedicationList` for anything else."""
    kind = document.get("resourceType") if isinstance(document, dict) else None
    if not isinstance(kind, str) or kind not in MODELS:
        raise InvalidMedicationList(
            _(
                "Send a FHIR resource (a JSON object with `resourceType`): a Bundle, a "
                "MedicationStatement or a MedicationRequest."
            )
        )
    entries = document.get("entry")
    if kind == "Bundle" and isinstance(entries, list) and len(entries) > MAX_ENTRIES:
        raise InvalidMedicationList(
            _("A bundle of at most %(limit)d entries, not %(count)d.")
            % {"limit": MAX_ENTRIES, "count": len(entries)}
        )
    try:
        return MODELS[kind].model_validate(document)
    except PydanticValidationError as exc:
        raise InvalidMedicationList(_validation_message(exc)) from exc
    except (KeyError, TypeError, ValueError) as exc:
        # fhir.resources raises these for an unknown or malformed `resourceType` nested
        # in the document, before pydantic can report where.
        raise InvalidMedicationList(
            _("Not valid FHIR R4: a resource has an unknown or malformed resourceType.")
        ) from exc


def _resources(model: FHIRAbstractModel) -> tuple[list, dict[str, Any]]:
    """The document's resources in order (None for an entry without one), and its
    `Medication` resources by the references that may name them."""
    if model.get_resource_type() != "Bundle":
        return [model], {}
    resources, medications = [], {}
    for entry in model.entry or []:
        resource = entry.resource
        resources.append(resource)
        if resource is not None and resource.get_resource_type() == "Medication":
            if entry.fullUrl:
                medications[entry.fullUrl] = resource
            if resource.id:
                medications[f"Medication/{resource.id}"] = resource
    return resources, medications


def _concept(resource, medications: dict[str, Any]):
    """The medication of a statement or request as a CodeableConcept, or None."""
    if resource.medicationCodeableConcept is not None:
        return resource.medicationCodeableConcept
    reference = resource.medicationReference.reference if resource.medicationReference else None
    if not reference:
        return None
    if reference.startswith("#"):
        contained = [
            r
            for r in resource.contained or []
            if r.id == reference[1:] and r.get_resource_type() == "Medication"
        ]
        medication = contained[0] if contained else None
    else:
        medication = medications.get(reference)
    return medication.code if medication is not None else None


def _intake_times(resource) -> tuple[str, ...]:
    """The intake times of the resource's dosages: moments and clock times "HH:MM". More
    than a medicine may have, none: a partial list would let the day plan put magnesium
    at a moment it must keep clear of, where "not known" makes it state the rule."""
    dosages = (
        resource.dosage
        if resource.get_resource_type() == "MedicationStatement"
        else resource.dosageInstruction
    )
    times: list[str] = []
    for dosage in dosages or []:
        repeat = dosage.timing.repeat if dosage.timing else None
        if repeat is None:
            continue
        times.extend(MOMENTS[code] for code in repeat.when or [] if code in MOMENTS)
        for clock in repeat.timeOfDay or []:
            if isinstance(clock, datetime.time):
                times.append(clock.strftime("%H:%M"))
            elif schedule.clock_minutes(str(clock)[:5]) is not None:
                times.append(str(clock)[:5])
    unique = tuple(dict.fromkeys(times))
    return unique if len(unique) <= schedule.MAX_INTAKE_TIMES else ()


def _atc_code(concept) -> tuple[str | None, str | None, str]:
    """(the first valid ATC code, the first ATC code given, its display) of a concept."""
    atc = [c for c in concept.coding or [] if c.system == codes.ATC_SYSTEM and c.code]
    for coding in atc:
        code = coding.code.strip().upper()
        try:
            validate_atc_code(code)
        except ValidationError:
            continue
        return code, code, (coding.display or "").strip()
    return None, (atc[0].code if atc else None), ""


def _label(concept) -> str:
    if concept is None:
        return ""
    displays = [c.display or c.code for c in concept.coding or [] if c.display or c.code]
    return (concept.text or "").strip() or (displays[0] if displays else "")


def import_medications(*, client: Client, document: Any, dry_run: bool = False) -> ImportResult:
    """Add the medicines of a FHIR medication list to the client's; with `dry_run`, only
    say what would be added and what skipped. Not valid FHIR: `InvalidMedicationList`,
    and nothing is added.

    Call it in a transaction: the client's row is locked while the list is compared with
    their medicines and the new ones are written, so two imports cannot both add one."""
    model = parse(document)
    resources, medications = _resources(model)
    if not dry_run:
        Client.objects.select_for_update().filter(pk=client.pk).first()
    taken = set(client.medications.values_list("atc_code", flat=True))
    added: list[Added] = []
    skipped: list[Skipped] = []
    candidates = []
    for index, resource in enumerate(resources):
        kind = resource.get_resource_type() if resource is not None else ""
        if kind not in ACTIVE:
            skipped.append(Skipped(index, SkipReason.UNSUPPORTED_RESOURCE_TYPE, kind))
            continue
        concept = _concept(resource, medications)
        label = _label(concept)
        if resource.status not in ACTIVE[kind]:
            skipped.append(Skipped(index, SkipReason.NOT_ACTIVE, kind, label))
            continue
        code, given, display = _atc_code(concept) if concept is not None else (None, None, "")
        if given is None:
            skipped.append(Skipped(index, SkipReason.NOT_ATC_CODED, kind, label))
        elif code is None:
            skipped.append(Skipped(index, SkipReason.INVALID_ATC_CODE, kind, f"{label} ({given})"))
        elif code in taken:
            skipped.append(Skipped(index, SkipReason.DUPLICATE, kind, f"{label} ({code})"))
        else:
            taken.add(code)
            name = display or (concept.text or "").strip()
            candidates.append((index, code, name, _intake_times(resource)))
    reference = Medicine.objects.in_bulk([c[1] for c in candidates], field_name="atc_code")
    for index, code, given_name, times in candidates:
        name = given_name.strip()[:NAME_LENGTH].strip()
        name = name or (reference[code].name if code in reference else code)
        added.append(Added(index, code, name, times))
    if added and not dry_run:
        services.client_add_medications(
            client=client,
            medications=[
                services.MedicationInput(
                    atc_code=a.atc_code, name=a.name, intake_times=a.intake_times
                )
                for a in added
            ],
        )
    return ImportResult(tuple(added), tuple(skipped))
