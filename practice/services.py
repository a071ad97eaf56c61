"""Writing clients, consults and protocol templates: one atomic function per change, for
the HTML views and the API.

Each function validates with the models' `full_clean()` and raises Django's
`ValidationError` with messages keyed by a model field (`client_number`) or by its own
keyword (`medications`, `own_supplements`, `complaints`, `lines`), so a caller can show each
message beside its own input. When one is raised nothing has been saved. Nested lists are
replaced as a whole when given, and left alone when `None`.
"""

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from gutbrain.models import Indication, Medicine, Nutrient, NutrientForm
from practice.models import (
    LINE_FIELDS,
    Client,
    ClientMedication,
    ClientSupplement,
    Consult,
    Frequency,
    LineFields,
    Practice,
    Protocol,
    ProtocolTemplate,
    SupplementLine,
    TemplateLine,
    Timing,
)


@dataclass(frozen=True)
class MedicationInput:
    """A medicine the client takes. Without a name, the reference list's name is used.
    `intake_times`: moments and clock times "HH:MM"; empty when not known."""

    atc_code: str
    name: str = ""
    intake_times: Sequence[str] = ()


@dataclass(frozen=True)
class OwnSupplementInput:
    name: str
    nutrient: Nutrient | None = None
    dose: str = ""


# Supplement lines of a consult or a protocol template: more than a client is ever advised
# at once, few enough that the consult's page, its check and its protocol stay quick.
MAX_LINES = 40


@dataclass(frozen=True)
class LineInput:
    """A supplement line to write: the fields of `LINE_FIELDS` (a test holds them equal)."""

    nutrient: Nutrient
    dose_amount: Decimal
    dose_unit: str
    form: NutrientForm | None = None
    frequency: str = Frequency.ONCE_DAILY
    timing: str = Timing.MORNING
    duration_weeks: int | None = None
    instructions: str = ""

    @classmethod
    def of(cls, line: LineFields) -> "LineInput":
        """The input that writes a copy of `line` (a template's line into a consult)."""
        return cls(**line.line_values())

    def values(self) -> dict:
        return {name: getattr(self, name) for name in LINE_FIELDS}


class ClientFields(TypedDict, total=False):
    client_number: str
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    email: str
    phone: str
    address: str
    notes: str


class ConsultFields(TypedDict, total=False):
    date: datetime.date
    pregnant: bool
    breastfeeding: bool
    notes: str


def _set_fields(
    instance: models.Model, fields: ClientFields | ConsultFields, allowed: type
) -> None:
    unknown = set(fields) - allowed.__optional_keys__
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(instance, name, value)


def _clean_rows(key: str, rows: Sequence[models.Model]) -> None:
    """`full_clean()` every row of a nested list; the messages go under `key`, numbered."""
    messages = []
    for number, row in enumerate(rows, start=1):
        try:
            row.full_clean()
        except ValidationError as exc:
            for field, field_messages in exc.message_dict.items():
                where = _("Row %(number)s") % {"number": number}
                if field != NON_FIELD_ERRORS:
                    where = f"{where}, {row._meta.get_field(field).verbose_name}"
                messages.extend(f"{where}: {message}" for message in field_messages)
    if messages:
        raise ValidationError({key: messages})


# Clients ------------------------------------------------------------------------------


def next_client_number(practice: Practice) -> str:
    """One more than the practice's highest all-digit client number, five digits or more.

    The caller holds a lock on the practice row, so two new clients cannot get one number.
    """
    highest = (
        Client.objects.filter(practice=practice, client_number__regex=r"^[0-9]{1,9}$")
        .annotate(number=Cast("client_number", IntegerField()))
        .aggregate(highest=Max("number"))["highest"]
    )
    return f"{(highest or 0) + 1:05d}"


def _check_client_number_free(client: Client) -> None:
    taken = Client.objects.filter(practice=client.practice_id, client_number=client.client_number)
    if taken.exclude(pk=client.pk).exists():
        raise ValidationError(
            {"client_number": _("Another client of the practice has this client number.")},
            code="unique",
        )


def _medication_rows(
    client: Client, medications: Sequence[MedicationInput]
) -> list[ClientMedication]:
    """Unsaved rows for `medications`, named from the reference list where no name is
    given; refused when a code is listed twice or a code outside the list has no name."""
    codes = [m.atc_code.strip().upper() for m in medications]
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise ValidationError(
            {"medications": _("Listed more than once: %(codes)s.") % {"codes": ", ".join(twice)}},
            code="duplicate",
        )
    reference = Medicine.objects.in_bulk(codes, field_name="atc_code")
    rows = [
        ClientMedication(
            client=client,
            atc_code=code,
            name=m.name.strip() or (reference[code].name if code in reference else ""),
            medicine=reference.get(code),
            intake_times=list(m.intake_times),
        )
        for code, m in zip(codes, medications, strict=True)
    ]
    unnamed = [row.atc_code for row in rows if not row.name]
    if unnamed:
        raise ValidationError(
            {
                "medications": _(
                    "Give the name of %(codes)s: the code is not in the reference list."
                )
                % {"codes": ", ".join(unnamed)}
            },
            code="name_required",
        )
    return rows


def _replace_medications(client: Client, medications: Sequence[MedicationInput]) -> None:
    rows = _medication_rows(client, medications)
    client.medications.all().delete()
    _clean_rows("medications", rows)
    ClientMedication.objects.bulk_create(rows)


def _replace_own_supplements(client: Client, supplements: Sequence[OwnSupplementInput]) -> None:
    rows = [
        ClientSupplement(client=client, name=s.name.strip(), nutrient=s.nutrient, dose=s.dose)
        for s in supplements
    ]
    client.own_supplements.all().delete()
    _clean_rows("own_supplements", rows)
    ClientSupplement.objects.bulk_create(rows)


@transaction.atomic
def client_create(
    *,
    practitioner: User,
    practice: Practice,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    client_number: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    notes: str = "",
    medications: Sequence[MedicationInput] = (),
    own_supplements: Sequence[OwnSupplementInput] = (),
) -> Client:
    """A new client of `practice`, treated by `practitioner`.

    Without a client number the next free one of the practice is given.
    """
    client_number = client_number.strip()
    if not client_number:
        # Serialises number generation per practice (a no-op on SQLite, which locks the
        # whole database for the write anyway).
        Practice.objects.select_for_update().filter(pk=practice.pk).first()
        client_number = next_client_number(practice)
    client = Client(
        practice=practice,
        practitioner=practitioner,
        client_number=client_number,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        email=email,
        phone=phone,
        address=address,
        notes=notes,
    )
    _check_client_number_free(client)
    client.full_clean()
    client.save()
    _replace_medications(client, medications)
    _replace_own_supplements(client, own_supplements)
    return client


@transaction.atomic
def client_update(
    *,
    client: Client,
    fields: ClientFields | None = None,
    medications: Sequence[MedicationInput] | None = None,
    own_supplements: Sequence[OwnSupplementInput] | None = None,
) -> Client:
    """Change the given fields; replace the medications or own supplements when given."""
    _set_fields(client, fields or {}, ClientFields)
    _check_client_number_free(client)
    client.full_clean()
    client.save()
    if medications is not None:
        _replace_medications(client, medications)
    if own_supplements is not None:
        _replace_own_supplements(client, own_supplements)
    return client


@transaction.atomic
def client_add_medications(
    *, client: Client, medications: Sequence[MedicationInput]
) -> list[ClientMedication]:
    """Add medicines to the client's list, keeping the ones on it (an imported medication
    list, `practice.fhir.imports`). A code already on the list is refused like a code
    listed twice: its row's unique constraint, checked by `full_clean()`."""
    rows = _medication_rows(client, medications)
    _clean_rows("medications", rows)
    added = ClientMedication.objects.bulk_create(rows)
    client.save(update_fields=["updated_at"])
    return added


@transaction.atomic
def client_delete(*, client: Client) -> None:
    """Delete the client with their medicines and consults.

    Refused while the client has issued protocols: those are kept as they were issued.
    """
    if Protocol.objects.filter(consult__client=client).exists():
        raise ValidationError(
            _("This client has issued protocols, which are kept: the client cannot be deleted."),
            code="protected",
        )
    client.delete()


# Consults -----------------------------------------------------------------------------


def _check_complaints(complaints: Sequence[Indication]) -> None:
    slugs = [c.slug for c in complaints]
    twice = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if twice:
        raise ValidationError(
            {"complaints": _("Listed more than once: %(slugs)s.") % {"slugs": ", ".join(twice)}},
            code="duplicate",
        )


def _line_rows(model: type[LineFields], parent: dict, lines: Sequence[LineInput]) -> list:
    """Unsaved `model` rows for `lines`, numbered in order; `parent` names their owner."""
    if len(lines) > MAX_LINES:
        raise ValidationError(
            {
                "lines": _("At most %(limit)d supplement lines, not %(count)d.")
                % {"limit": MAX_LINES, "count": len(lines)}
            },
            code="too_many",
        )
    unpublished = sorted({line.nutrient.slug for line in lines if not line.nutrient.is_published})
    if unpublished:
        raise ValidationError(
            {
                "lines": _("Not a published nutrient: %(slugs)s.")
                % {"slugs": ", ".join(unpublished)}
            },
            code="unpublished",
        )
    return [
        model(**parent, order=order, **line.values()) for order, line in enumerate(lines, start=1)
    ]


def _replace_lines(consult: Consult, lines: Sequence[LineInput]) -> None:
    rows = _line_rows(SupplementLine, {"consult": consult}, lines)
    consult.lines.all().delete()
    _clean_rows("lines", rows)
    SupplementLine.objects.bulk_create(rows)


@transaction.atomic
def consult_create(
    *,
    client: Client,
    practitioner: User,
    date: datetime.date | None = None,
    pregnant: bool = False,
    breastfeeding: bool = False,
    notes: str = "",
    complaints: Sequence[Indication] = (),
    lines: Sequence[LineInput] = (),
) -> Consult:
    """A consult of `client` by `practitioner`, on `date` (today when not given)."""
    consult = Consult(
        client=client,
        practitioner=practitioner,
        date=date or timezone.localdate(),
        pregnant=pregnant,
        breastfeeding=breastfeeding,
        notes=notes,
    )
    _check_complaints(complaints)
    consult.full_clean()
    consult.save()
    consult.complaints.set(complaints)
    _replace_lines(consult, lines)
    return consult


class ConsultChanged(Exception):
    """The consult was saved after the writer loaded it: their update was refused."""

    def __init__(self, current_revision: int):
        self.current_revision = current_revision
        super().__init__(f"The consult is at revision {current_revision}.")


class ConsultGone(Exception):
    """The consult was deleted while the writer had it open."""


@transaction.atomic
def consult_update(
    *,
    consult: Consult,
    fields: ConsultFields | None = None,
    complaints: Sequence[Indication] | None = None,
    lines: Sequence[LineInput] | None = None,
    seen_revisions: Collection[int] | None = None,
) -> Consult:
    """Change the given fields; replace the complaints or the supplement lines when given.

    Refused with `ConsultChanged`, nothing written, unless the consult's revision is one of
    `seen_revisions` (the API's `If-Match`, the consult form's version); `None` accepts any
    revision. The comparison and the write hold the consult's row lock, so of two writers
    who loaded the same revision only the first succeeds, and a successful write counts
    the revision up. `ConsultGone` when the consult was deleted meanwhile.

    Protocols issued earlier keep what they showed; issuing again makes a new version.
    """
    current = (
        Consult.objects.select_for_update()
        .filter(pk=consult.pk)
        .values_list("revision", flat=True)
        .first()
    )
    if current is None:
        raise ConsultGone
    if seen_revisions is not None and current not in seen_revisions:
        raise ConsultChanged(current)
    if consult.revision != current:
        # Loaded before someone else's save: fields the writer leaves alone keep theirs.
        consult.refresh_from_db(
            fields=[
                f.attname
                for f in Consult._meta.concrete_fields
                if not f.primary_key and not f.is_relation
            ]
        )
    _set_fields(consult, fields or {}, ConsultFields)
    consult.full_clean()
    consult.save()
    if complaints is not None:
        _check_complaints(complaints)
        consult.complaints.set(complaints)
    if lines is not None:
        _replace_lines(consult, lines)
    return consult


@transaction.atomic
def consult_delete(*, consult: Consult) -> None:
    """Delete the consult with its lines. Refused once a protocol has been issued from it."""
    if consult.protocols.exists():
        raise ValidationError(
            _("Protocols have been issued from this consult: it cannot be deleted."),
            code="protected",
        )
    consult.delete()


def consult_discard_refusal(consult: Consult) -> str:
    """Why `consult_discard` keeps the consult, in words for the user; "" when it would
    delete it. Reads the database, not a prefetched cache."""
    if Protocol.objects.filter(consult_id=consult.pk).exists():
        return _("Protocols have been issued from this consult: it is kept.")
    if SupplementLine.objects.filter(consult_id=consult.pk).exists():
        return _(
            "This consult has saved supplement lines: it is part of the client's record "
            "and is kept. Remove the lines and save first if it really was started by mistake."
        )
    return ""


@transaction.atomic
def consult_discard(*, consult: Consult) -> None:
    """Delete a consult started by mistake: one without saved lines that was never issued.

    A consult with lines or protocols is part of the client's record and is kept
    (`ValidationError`, code `kept`). The consult's row is locked first, so that a save
    of lines running at the same time cannot slip in between the check and the delete.
    """
    Consult.objects.select_for_update().filter(pk=consult.pk).first()
    refusal = consult_discard_refusal(consult)
    if refusal:
        raise ValidationError(refusal, code="kept")
    consult.delete()


# Protocol templates -------------------------------------------------------------------


def _check_template(template: ProtocolTemplate, lines: Sequence[LineInput]) -> None:
    """A template needs a line, and a name its owner has not given another template."""
    if not lines:
        raise ValidationError(
            {"lines": _("A template needs at least one supplement line.")}, code="required"
        )
    same_name = ProtocolTemplate.objects.filter(owner=template.owner, name__iexact=template.name)
    if same_name.exclude(pk=template.pk).exists():
        raise ValidationError(
            {"name": _("You already have a template with this name.")}, code="unique"
        )
    template.full_clean()


def _add_template_lines(template: ProtocolTemplate, lines: Sequence[LineInput]) -> None:
    rows = _line_rows(TemplateLine, {"template": template}, lines)
    _clean_rows("lines", rows)
    TemplateLine.objects.bulk_create(rows)


@transaction.atomic
def template_create(
    *,
    owner: User,
    practice: Practice,
    name: str,
    lines: Sequence[LineInput],
    complaints: Sequence[Indication] = (),
    shared: bool = False,
) -> ProtocolTemplate:
    """A named set of lines of `owner` to start consults from; `shared` offers it to the
    whole practice (whether the owner may share is for the caller to decide)."""
    template = ProtocolTemplate(owner=owner, practice=practice, name=name.strip(), shared=shared)
    _check_template(template, lines)
    _check_complaints(complaints)
    template.save()
    template.complaints.set(complaints)
    _add_template_lines(template, lines)
    return template


@transaction.atomic
def template_update(
    *,
    template: ProtocolTemplate,
    name: str,
    lines: Sequence[LineInput],
    shared: bool | None = None,
) -> ProtocolTemplate:
    """Rename the template and replace its lines; `shared`, when given, offers it to the
    whole practice or to its owner only (whether the user may share is for the caller to
    decide). Its complaints stay; consults started from it keep their lines."""
    template.name = name.strip()
    if shared is not None:
        template.shared = shared
    _check_template(template, lines)
    template.save()
    template.lines.all().delete()
    _add_template_lines(template, lines)
    return template


def template_set_shared(*, template: ProtocolTemplate, shared: bool) -> ProtocolTemplate:
    """Offer the template to the whole practice, or to its owner only again."""
    template.shared = shared
    template.save(update_fields=["shared"])
    return template


def template_delete(*, template: ProtocolTemplate) -> None:
    """Delete the template; consults started from it keep their lines."""
    template.delete()
