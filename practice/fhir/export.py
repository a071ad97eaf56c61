"""A client's record and an issued protocol as FHIR R4 `Bundle`s, and the knowledge base's
nutrients as a FHIR `CodeSystem`, built and validated with fhir.resources' R4B models.

A bundle is of type `collection`; its entries have `urn:uuid:` full URLs, derived from
what each resource stands for (a client, a protocol, a medicine of a client), so that an
export made twice names every resource alike and the references between entries hold:

- `Patient` (name, date of birth, the client number under a practice-scoped system; the
  client record has no gender), its `Organization` (the practice, with its AGB code) and
  the `Practitioner`s (the treating one, and whoever issued a protocol);
- a `MedicationStatement` per medicine (coded in ATC, its intake times as `dosage`) and
  per own supplement (coded in the nutrient code system when it is a nutrient, else a text);
- per issued protocol a `CarePlan` (one activity per supplement line) and a `DetectedIssue`
  per finding of its check, which `implicated` ties to the medicines' statements.

A protocol is built from its snapshot alone, as its HTML and PDF are: what the medicines,
lines, findings and acknowledgements were when it was issued. Whether a later version
replaced it is the one thing its snapshot cannot know. Texts are in the active language
(the request's); the codes never are.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.detectedissue import DetectedIssue
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir_core.fhirabstractmodel import FHIRAbstractModel

from gutbrain.models import Nutrient
from gutbrain.templatetags.gutbrain_tags import level_meaning
from gutbrain.text import is_english, tr
from practice import schedule
from practice.checking import Reader, level_words, word_finding
from practice.fhir import codes
from practice.models import Client, ClientMedication, ClientSupplement, Protocol

# A finding's level as a DetectedIssue's severity (issue #14).
SEVERITY = {
    "avoid": "high",
    "consult": "moderate",
    "monitor": "low",
    "separate_intake": "low",
    "no_data": "low",
}
# A medicine's intake moment as FHIR's EventTiming.
EVENT_TIMING = {"morning": "MORN", "midday": "NOON", "evening": "EVE", "bedtime": "HS"}
# How many intakes a day each frequency means; "as needed" has no daily amount.
INTAKES_PER_DAY = {"once_daily": 1, "twice_daily": 2, "three_times_daily": 3}
# A line's dose unit in UCUM (countable units as annotations).
UCUM_UNITS = {
    "mg": "mg",
    "µg": "ug",
    "g": "g",
    "ml": "mL",
    "capsule": "{capsule}",
    "tablet": "{tablet}",
    "drops": "[drp]",
    "CFU": "[CFU]",
}
# The reasons of a finding that are about the client's medicines.
MEDICINE_REASONS = ("medicine", "any_medicine")


def finding_words(finding: dict | None) -> tuple[str, str]:
    """A finding of a snapshot as the protocol's physician page words it
    (`practice.checking`): its level, and its advice; for `None` (a nutrient the table
    holds nothing on), what "nothing recorded" means. In the active language."""
    if finding is None:
        return level_words("no_data", Reader.PHYSICIAN), level_meaning("no_data")
    worded = word_finding(finding, {}, Reader.PHYSICIAN)
    return worded.level_label, worded.advice


def _urn(key: str) -> str:
    """The full URL of the resource `key` stands for: the same in every export."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, codes.canonical(key))}"


def _compact(value):
    """`value` without empty strings, lists, objects and `None`s, which FHIR refuses."""
    if isinstance(value, dict):
        items = ((k, _compact(v)) for k, v in value.items())
        return {k: v for k, v in items if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in map(_compact, value) if v not in (None, "", [], {})]
    return value


def _number(value: Decimal) -> Decimal:
    """A decimal as FHIR writes it: 400, not 4E+2; 2.5, not 2.50."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _reference(key: str) -> dict:
    return {"reference": _urn(key)}


@dataclass
class _Entries:
    """The entries of a bundle in the order they are added, each validated with its R4B
    model as it is added; a key added again keeps the first."""

    models: dict[str, FHIRAbstractModel] = field(default_factory=dict)

    def add(self, key: str, model: type[FHIRAbstractModel], data: dict) -> dict:
        if key not in self.models:
            resource = {"resourceType": model.get_resource_type(), **data}
            self.models[key] = model.model_validate(_compact(resource))
        return _reference(key)

    def bundle(self) -> Bundle:
        return Bundle.model_validate(
            {
                "resourceType": "Bundle",
                "language": "en" if is_english() else "nl",
                "type": "collection",
                "timestamp": timezone.localtime().isoformat(),
                "entry": [
                    {"fullUrl": _urn(key), "resource": model} for key, model in self.models.items()
                ],
            }
        )


# Who: the client, the practice, the practitioners ------------------------------------------


def _patient_key(client_id: int) -> str:
    return f"Patient/client-{client_id}"


def _organization_key(practice_id: int) -> str:
    return f"Organization/practice-{practice_id}"


def _practitioner_key(user_id: int) -> str:
    return f"Practitioner/user-{user_id}"


def _agb(code: str) -> list[dict]:
    return [{"system": codes.AGB_SYSTEM, "value": code}] if code else []


def _organization(practice: dict) -> dict:
    """`practice`: the snapshot's practice (name, address, phone, e-mail, AGB code)."""
    return {
        "identifier": _agb(practice["agb_code"]),
        "name": practice["name"],
        "telecom": [
            {"system": system, "value": practice[key]}
            for system, key in (("phone", "phone"), ("email", "email"))
            if practice[key]
        ],
        "address": [{"text": practice["address"]}],
    }


def _patient(*, practice_id: int, client_number: str, name: dict, birth_date: str) -> dict:
    return {
        "identifier": [
            {
                "use": "usual",
                "system": codes.client_number_system(practice_id),
                "value": client_number,
            }
        ],
        "name": [{"use": "official", **name}],
        "birthDate": birth_date,
        "managingOrganization": _reference(_organization_key(practice_id)),
    }


# What the client takes -----------------------------------------------------------------------


def _intake_dosage(time: str) -> dict | None:
    """One intake time of a medicine ("morning", "21:00") as a daily dosage."""
    if time in EVENT_TIMING:
        when = {"when": [EVENT_TIMING[time]]}
        words = schedule.moment_words(time)
    elif schedule.clock_minutes(time) is not None:
        when = {"timeOfDay": [f"{time}:00"]}
        words = schedule.clock_words(time)
    else:
        return None
    return {
        "text": words,
        "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d", **when}},
    }


def _medicine_statement(medicine: dict, *, status: str, patient: dict, asserted: str = "") -> dict:
    """`medicine`: ATC code, name and intake times, as a snapshot holds them."""
    return {
        "status": status,
        "medicationCodeableConcept": {
            "coding": [
                {
                    "system": codes.ATC_SYSTEM,
                    "code": medicine["atc_code"],
                    "display": medicine["name"],
                }
            ],
            "text": medicine["name"],
        },
        "subject": patient,
        "dateAsserted": asserted,
        "dosage": [
            dosage
            for time in medicine.get("intake_times", [])
            if (dosage := _intake_dosage(time)) is not None
        ],
    }


def _supplement_statement(
    supplement: dict, nutrient_name: str, *, status: str, patient: dict, asserted: str = ""
) -> dict:
    """`supplement`: an own supplement's name, nutrient slug (or None) and dose."""
    coding = []
    if supplement["nutrient"]:
        coding = [
            {
                "system": codes.nutrient_system(),
                "code": supplement["nutrient"],
                "display": nutrient_name,
            }
        ]
    return {
        "status": status,
        "medicationCodeableConcept": {"coding": coding, "text": supplement["name"]},
        "subject": patient,
        "dateAsserted": asserted,
        "dosage": [{"text": supplement["dose"]}],
    }


# A protocol: its plan and the issues its check found ---------------------------------------


@dataclass(frozen=True)
class _Context:
    """What a protocol's resources refer to, in the bundle they are added to."""

    patient: dict
    author: dict
    medicines: dict[str, dict]  # ATC code → reference to its MedicationStatement
    own_supplements: dict[str, dict]  # nutrient slug → reference to its MedicationStatement


def _protocol_key(protocol_id: int) -> str:
    return f"CarePlan/protocol-{protocol_id}"


def _protocol_identifier(practice_id: int, consult_id: int, version: int) -> dict:
    return {"system": codes.protocol_system(practice_id), "value": f"{consult_id}-v{version}"}


def _quantity(amount: Decimal, line: dict) -> dict:
    unit = line["dose_unit"]
    quantity = {"value": _number(amount), "unit": tr(line["dose_unit_label"])}
    if unit in UCUM_UNITS:
        quantity |= {"system": codes.UCUM_SYSTEM, "code": UCUM_UNITS[unit]}
    return quantity


def _line_words(line: dict) -> str:
    """The whole line as the staff page reads it: "Magnesium (bisglycinaat): 200 mg,
    tweemaal per dag, 's avonds, 8 weken. Met water innemen." """
    name, form = tr(line, "nutrient_name"), tr(line, "form_name")
    parts = [
        schedule.format_dose(line["dose_amount"], line["dose_unit_label"]),
        tr(line["frequency_label"]),
        tr(line["timing_label"]),
        schedule.duration_words(line),
    ]
    words = f"{name} ({form})" if form else name
    sentence = f"{words}: {', '.join(parts)}."
    return f"{sentence} {line['instructions']}" if line["instructions"] else sentence


def _activity(line: dict) -> dict:
    """One supplement line as a scheduled activity: the nutrient, how much a day, how
    often, when and for how many weeks."""
    per_day = INTAKES_PER_DAY.get(line["frequency"])
    weeks = line.get("duration_weeks")
    repeat: dict = {}
    if per_day:
        repeat |= {"frequency": per_day, "period": 1, "periodUnit": "d"}
    if weeks:
        repeat["boundsDuration"] = {
            "value": weeks,
            "unit": ngettext("week", "weeks", weeks),
            "system": codes.UCUM_SYSTEM,
            "code": "wk",
        }
    name = tr(line, "nutrient_name")
    form = tr(line, "form_name")
    amount = Decimal(line["dose_amount"])
    return {
        "detail": {
            "status": "scheduled",
            "productCodeableConcept": {
                "coding": [
                    {"system": codes.nutrient_system(), "code": line["nutrient"], "display": name}
                ],
                "text": f"{name} ({form})" if form else name,
            },
            "scheduledTiming": {"repeat": repeat, "code": {"text": tr(line["timing_label"])}},
            "dailyAmount": _quantity(amount * per_day, line) if per_day else None,
            "description": _line_words(line),
        }
    }


def _issue(
    *,
    snapshot: dict,
    result: dict,
    finding: dict | None,
    context: _Context,
) -> dict:
    """A finding of the check (or, for `None`, a nutrient the table holds nothing on) as
    a DetectedIssue."""
    level = finding["level"] if finding else "no_data"
    words, advice = finding_words(finding)
    nutrient = result["nutrient"]
    name = tr(snapshot["nutrients"].get(nutrient, {}), "name") or nutrient
    implicated = [
        context.medicines[code]
        for code in (finding["atc_codes"] if finding else [])
        if code in context.medicines
    ]
    if result.get("source") == "own_supplement" and nutrient in context.own_supplements:
        implicated.append(context.own_supplements[nutrient])
    acknowledged = {ack["nutrient"]: ack for ack in snapshot["acknowledgements"]}
    mitigation = []
    if level == "avoid" and nutrient in acknowledged:
        mitigation = [
            {
                "action": {
                    "coding": [
                        {
                            "system": codes.ACT_CODE_SYSTEM,
                            "code": "1",
                            "display": "Therapy Appropriate",
                        }
                    ],
                    "text": acknowledged[nutrient]["reason"],
                },
                "date": snapshot["issued_at"],
                "author": context.author,
            }
        ]
    about_medicines = finding is not None and finding["reason"] in MEDICINE_REASONS
    return {
        "status": "final",
        "code": {
            "coding": (
                [
                    {
                        "system": codes.ACT_CODE_SYSTEM,
                        "code": "DRG",
                        "display": "Drug Interaction Alert",
                    }
                ]
                if about_medicines
                else []
            ),
            "text": f"{name}: {words}",
        },
        "severity": SEVERITY[level],
        "patient": context.patient,
        "identifiedDateTime": snapshot["issued_at"],
        "implicated": implicated,
        "detail": advice,
        "mitigation": mitigation,
    }


def _findings(snapshot: dict) -> Iterable[tuple[dict, dict | None]]:
    """Every finding of the protocol's check with its nutrient's result; a nutrient the
    table holds nothing on (`no_data` without findings) once with `None`: nothing recorded
    is not the same as safe, and must not look like it."""
    for result in snapshot["check"]["results"]:
        if result["findings"]:
            for finding in result["findings"]:
                yield result, finding
        elif result["level"] == "no_data":
            yield result, None


def _add_protocol(
    entries: _Entries,
    *,
    protocol: Protocol,
    practice_id: int,
    replaced: bool,
    replaces: dict | None,
    context: _Context,
) -> None:
    """The protocol's CarePlan and its DetectedIssues, from its snapshot alone."""
    snapshot = protocol.snapshot
    issues = [
        (f"DetectedIssue/protocol-{protocol.pk}/{number}", _issue(**found, context=context))
        for number, found in enumerate(
            {"snapshot": snapshot, "result": result, "finding": finding}
            for result, finding in _findings(snapshot)
        )
    ]
    not_checked = [n["name"] for n in snapshot["check"].get("not_checked", [])]
    entries.add(
        _protocol_key(protocol.pk),
        CarePlan,
        {
            "identifier": [
                _protocol_identifier(practice_id, protocol.consult_id, snapshot["version"])
            ],
            "status": "revoked" if replaced else "active",
            "intent": "plan",
            "replaces": [replaces] if replaces else [],
            "title": gettext("Supplement advice for %(client)s, version %(version)s")
            % {"client": snapshot["client"]["name"], "version": snapshot["version"]},
            "subject": context.patient,
            "created": snapshot["issued_at"],
            "author": context.author,
            "supportingInfo": [_reference(key) for key, _ in issues],
            "activity": [_activity(line) for line in snapshot["lines"]],
            "note": (
                [
                    {
                        "text": gettext("Not checked (not in the knowledge base):")
                        + " "
                        + ", ".join(not_checked)
                    }
                ]
                if not_checked
                else []
            ),
        },
    )
    for key, issue in issues:
        entries.add(key, DetectedIssue, issue)


def _previous_version(snapshot: dict) -> int | None:
    previous = snapshot.get("previous_version")
    if previous is None and snapshot["version"] > 1:
        previous = snapshot["version"] - 1  # schema 1 does not name it
    return previous


# The exports ---------------------------------------------------------------------------------


def client_queryset() -> QuerySet[Client]:
    """Clients with what `client_bundle` reads of them: the client with practice and
    practitioner (and their membership), the medicines, the own supplements."""
    return Client.objects.select_related(
        "practice", "practitioner__practice_member"
    ).prefetch_related(
        Prefetch("medications", ClientMedication.objects.order_by("name", "pk")),
        Prefetch(
            "own_supplements",
            ClientSupplement.objects.select_related("nutrient").order_by("name", "pk"),
        ),
    )


def client_bundle(client: Client) -> Bundle:
    """Everything clinical held on the client (load it with `client_queryset`), with every
    protocol issued for them: one query more for the protocols.

    The medicines and own supplements are the client's now (`active`). A protocol's
    findings implicate the statements of the medicines as its snapshot holds them: one the
    client no longer takes is there too, `completed`. Of each consult's versions the newest
    CarePlan is `active`, the ones it replaced `revoked`."""
    practice = client.practice
    patient = _reference(_patient_key(client.pk))
    entries = _Entries()
    entries.add(
        _patient_key(client.pk),
        Patient,
        _patient(
            practice_id=practice.pk,
            client_number=client.client_number,
            name={
                "text": client.full_name,
                "family": client.last_name,
                "given": [client.first_name],
            },
            birth_date=client.date_of_birth.isoformat(),
        ),
    )
    entries.add(
        _organization_key(practice.pk),
        Organization,
        _organization(
            {
                "name": practice.name,
                "address": practice.address,
                "phone": practice.phone,
                "email": practice.email,
                "agb_code": practice.agb_code,
            }
        ),
    )
    treating = client.practitioner
    member = getattr(treating, "practice_member", None)
    entries.add(
        _practitioner_key(treating.pk),
        Practitioner,
        {
            "identifier": _agb(member.agb_code if member else ""),
            "name": [
                {
                    "text": treating.get_full_name() or treating.get_username(),
                    "family": treating.last_name,
                    "given": [treating.first_name],
                }
            ],
        },
    )

    medicines: dict[str, dict] = {}
    for medication in client.medications.all():
        key = f"MedicationStatement/client-{client.pk}/medicine-{medication.atc_code}"
        medicines[medication.atc_code] = entries.add(
            key,
            MedicationStatement,
            _medicine_statement(
                {
                    "atc_code": medication.atc_code,
                    "name": medication.name,
                    "intake_times": medication.intake_times,
                },
                status="active",
                patient=patient,
            ),
        )
    own_supplements: dict[str, dict] = {}
    for own in client.own_supplements.all():
        reference = entries.add(
            f"MedicationStatement/own-supplement-{own.pk}",
            MedicationStatement,
            _supplement_statement(
                {
                    "name": own.name,
                    "nutrient": own.nutrient.slug if own.nutrient else None,
                    "dose": own.dose,
                },
                tr(own.nutrient, "name") if own.nutrient else "",
                status="active",
                patient=patient,
            ),
        )
        if own.nutrient:
            own_supplements.setdefault(own.nutrient.slug, reference)

    protocols = list(
        Protocol.objects.filter(consult__client=client).order_by("consult_id", "version")
    )
    newest = {p.consult_id: p.version for p in protocols}
    by_version = {(p.consult_id, p.version): p for p in protocols}
    for protocol in protocols:
        snapshot = protocol.snapshot
        author_key = _practitioner_key(protocol.issued_by_id)
        entries.add(author_key, Practitioner, _snapshot_practitioner(snapshot))
        # What the protocol's check saw: the statements of medicines and own supplements
        # the client no longer takes are added as no longer taken.
        for medicine in snapshot["medications"]:
            if medicine["atc_code"] not in medicines:
                medicines[medicine["atc_code"]] = entries.add(
                    f"MedicationStatement/client-{client.pk}/medicine-{medicine['atc_code']}",
                    MedicationStatement,
                    _medicine_statement(medicine, status="completed", patient=patient),
                )
        for supplement in snapshot.get("own_supplements", []):
            slug = supplement["nutrient"]
            if slug and slug not in own_supplements:
                own_supplements[slug] = entries.add(
                    f"MedicationStatement/client-{client.pk}/own-supplement-{slug}",
                    MedicationStatement,
                    _supplement_statement(
                        supplement,
                        tr(snapshot["nutrients"].get(slug, {}), "name"),
                        status="completed",
                        patient=patient,
                    ),
                )
        previous = by_version.get((protocol.consult_id, _previous_version(snapshot)))
        replaces = None
        if previous is not None:
            replaces = {
                **_reference(_protocol_key(previous.pk)),
                "identifier": _protocol_identifier(
                    practice.pk, previous.consult_id, previous.version
                ),
            }
        _add_protocol(
            entries,
            protocol=protocol,
            practice_id=practice.pk,
            replaced=protocol.version < newest[protocol.consult_id],
            replaces=replaces,
            context=_Context(
                patient=patient,
                author=_reference(author_key),
                medicines=medicines,
                own_supplements=own_supplements,
            ),
        )
    return entries.bundle()


def _snapshot_practitioner(snapshot: dict) -> dict:
    practitioner = snapshot["practitioner"]
    return {"identifier": _agb(practitioner["agb_code"]), "name": [{"text": practitioner["name"]}]}


def protocol_queryset() -> QuerySet[Protocol]:
    """Protocols with what `protocol_bundle` reads besides the snapshot: the client's id
    and practice, through the consult."""
    return Protocol.objects.select_related("consult__client")


def protocol_bundle(protocol: Protocol) -> Bundle:
    """One issued protocol (load it with `protocol_queryset`): its CarePlan and
    DetectedIssues with the Patient, Organization, Practitioner and MedicationStatements
    as its snapshot holds them, all from the snapshot. One query: whether a later version
    replaced it (then it is `revoked`)."""
    snapshot = protocol.snapshot
    client = protocol.consult.client
    practice_id = client.practice_id
    replaced = Protocol.objects.filter(
        consult_id=protocol.consult_id, version__gt=protocol.version
    ).exists()
    patient = _reference(_patient_key(client.pk))
    asserted = snapshot["issued_at"]
    entries = _Entries()
    entries.add(
        _patient_key(client.pk),
        Patient,
        _patient(
            practice_id=practice_id,
            client_number=snapshot["client"]["client_number"],
            name={"text": snapshot["client"]["name"]},
            birth_date=snapshot["client"]["date_of_birth"],
        ),
    )
    entries.add(_organization_key(practice_id), Organization, _organization(snapshot["practice"]))
    author_key = _practitioner_key(protocol.issued_by_id)
    entries.add(author_key, Practitioner, _snapshot_practitioner(snapshot))
    medicines = {
        medicine["atc_code"]: entries.add(
            f"MedicationStatement/protocol-{protocol.pk}/medicine-{medicine['atc_code']}",
            MedicationStatement,
            _medicine_statement(medicine, status="active", patient=patient, asserted=asserted),
        )
        for medicine in snapshot["medications"]
    }
    own_supplements: dict[str, dict] = {}
    for number, supplement in enumerate(snapshot.get("own_supplements", [])):
        slug = supplement["nutrient"]
        reference = entries.add(
            f"MedicationStatement/protocol-{protocol.pk}/own-supplement-{number}",
            MedicationStatement,
            _supplement_statement(
                supplement,
                tr(snapshot["nutrients"].get(slug, {}), "name") if slug else "",
                status="active",
                patient=patient,
                asserted=asserted,
            ),
        )
        if slug:
            own_supplements.setdefault(slug, reference)
    previous = _previous_version(snapshot)
    replaces = None
    if previous is not None:
        replaces = {
            "identifier": _protocol_identifier(practice_id, protocol.consult_id, previous),
            "display": gettext("Version %(version)s") % {"version": previous},
        }
    _add_protocol(
        entries,
        protocol=protocol,
        practice_id=practice_id,
        replaced=replaced,
        replaces=replaces,
        context=_Context(
            patient=patient,
            author=_reference(author_key),
            medicines=medicines,
            own_supplements=own_supplements,
        ),
    )
    return entries.bundle()


# The nutrient code system ------------------------------------------------------------------


def nutrient_code_system(nutrients: Iterable[Nutrient]) -> CodeSystem:
    """The published nutrients as the code system every export and the CDS Hooks service
    code nutrients in (`codes.nutrient_system()`): a nutrient's code is its slug, its
    display its name in the active language, with the Dutch and English names as
    designations."""
    concepts = [
        {
            "code": nutrient.slug,
            "display": tr(nutrient, "name"),
            "designation": [
                {"language": "nl", "value": nutrient.name_nl},
                {"language": "en", "value": nutrient.name_en},
            ],
        }
        for nutrient in nutrients
    ]
    return CodeSystem.model_validate(
        _compact(
            {
                "resourceType": "CodeSystem",
                "language": "en" if is_english() else "nl",
                "url": codes.nutrient_system(),
                "name": "GutbrainNutrients",
                "title": gettext("Nutrients of the gutbrain knowledge base"),
                "status": "active",
                "publisher": "gutbrain",
                "description": gettext(
                    "The nutrients of the knowledge base of the brain-gut axis, by their "
                    "slugs: the codes of supplements in gutbrain's protocols, exports and "
                    "interaction checks."
                ),
                "caseSensitive": True,
                "content": "complete",
                "count": len(concepts),
                "concept": concepts,
            }
        )
    )
