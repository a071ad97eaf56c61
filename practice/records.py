"""A client's rights over their record (AVG/GDPR, WGBO) and the record's integrity.

- `build_export`: everything held on a client as plain JSON data, the free copy a client
  may ask for (AVG art. 15 and 20, WGBO art. 7:456).
- `erase_client`: erasure on request (AVG art. 17, WGBO art. 7:455). Removes the client
  with everything that hangs from them in one transaction and keeps only an
  `ErasureRecord`; the issued protocols' PDF files leave storage once that commits.
- `retention_due`: the records whose retention period has ended (WGBO art. 7:454: kept
  20 years). Nothing is deleted automatically: erasure stays a deliberate action.

Exporting and erasing a whole record is for those who may see all of it: the client's
treating practitioner and superusers (`practice.access.get_client_for_user`); anyone else
gets 404.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from functools import partial

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gutbrain.models import Indication
from practice.models import (
    Acknowledgement,
    Client,
    ClientMedication,
    ClientSupplement,
    Consult,
    ErasureRecord,
    Protocol,
    SupplementLine,
)
from practice.pdf import files

EXPORT_FORMAT_VERSION = 1
RETENTION_YEARS = 20


# Export -------------------------------------------------------------------------------


def export_queryset() -> QuerySet[Client]:
    """Clients with everything `build_export` reads, in eight queries whatever the
    number of consults: the client with practice and practitioner, the medicines, the
    own supplements, the consults with their practitioner, their complaints, their lines,
    their protocols, and the protocols' acknowledgements."""
    protocols = Protocol.objects.select_related("issued_by").prefetch_related(
        Prefetch(
            "acknowledgements",
            Acknowledgement.objects.select_related("nutrient", "acknowledged_by").order_by("pk"),
        )
    )
    consults = Consult.objects.select_related("practitioner").prefetch_related(
        Prefetch("complaints", Indication.objects.order_by("slug")),
        Prefetch(
            "lines",
            SupplementLine.objects.select_related("nutrient", "form").order_by("order", "pk"),
        ),
        Prefetch("protocols", protocols.order_by("version")),
    )
    return Client.objects.select_related("practice", "practitioner").prefetch_related(
        Prefetch("medications", ClientMedication.objects.order_by("name", "pk")),
        Prefetch(
            "own_supplements",
            ClientSupplement.objects.select_related("nutrient").order_by("name", "pk"),
        ),
        Prefetch("consults", consults.order_by("date", "pk")),
    )


def _user(user: User) -> dict:
    return {"username": user.get_username(), "name": user.get_full_name()}


def _line(line: SupplementLine) -> dict:
    return {
        "order": line.order,
        "nutrient": line.nutrient.slug,
        "nutrient_name_nl": line.nutrient.name_nl,
        "nutrient_name_en": line.nutrient.name_en,
        "form": line.form.slug if line.form else None,
        "form_name_nl": line.form.name_nl if line.form else "",
        "form_name_en": line.form.name_en if line.form else "",
        "dose_amount": format(line.dose_amount.normalize(), "f"),
        "dose_unit": line.dose_unit,
        "frequency": line.frequency,
        "timing": line.timing,
        "duration_weeks": line.duration_weeks,
        "instructions": line.instructions,
    }


def _protocol(protocol: Protocol) -> dict:
    return {
        "id": protocol.pk,
        "version": protocol.version,
        "issued_at": protocol.issued_at.isoformat(),
        "issued_by": _user(protocol.issued_by),
        "worst_level": protocol.worst_level,
        "pdf_file": protocol.pdf.name,
        "pdf_sha256": protocol.pdf_sha256,
        "snapshot": protocol.snapshot,
        "acknowledgements": [
            {
                "nutrient": ack.nutrient.slug,
                "reason": ack.reason,
                "acknowledged_by": _user(ack.acknowledged_by),
                "acknowledged_at": ack.acknowledged_at.isoformat(),
            }
            for ack in protocol.acknowledgements.all()
        ],
    }


def _consult(consult: Consult) -> dict:
    return {
        "id": consult.pk,
        "date": consult.date.isoformat(),
        "practitioner": _user(consult.practitioner),
        "pregnant": consult.pregnant,
        "breastfeeding": consult.breastfeeding,
        "notes": consult.notes,
        "complaints": [
            {"slug": c.slug, "name_nl": c.name_nl, "name_en": c.name_en}
            for c in consult.complaints.all()
        ],
        "lines": [_line(line) for line in consult.lines.all()],
        "protocols": [_protocol(protocol) for protocol in consult.protocols.all()],
        "created_at": consult.created_at.isoformat(),
        "updated_at": consult.updated_at.isoformat(),
    }


def build_export(client: Client) -> dict:
    """Everything held on `client`, as plain JSON data; `client` comes from
    `export_queryset()`, so that building the export costs no further query."""
    practice = client.practice
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "practice": {"name": practice.name, "agb_code": practice.agb_code},
        "client": {
            "id": client.pk,
            "client_number": client.client_number,
            "first_name": client.first_name,
            "last_name": client.last_name,
            "date_of_birth": client.date_of_birth.isoformat(),
            "email": client.email,
            "phone": client.phone,
            "address": client.address,
            "notes": client.notes,
            "practitioner": _user(client.practitioner),
            "created_at": client.created_at.isoformat(),
            "updated_at": client.updated_at.isoformat(),
        },
        "medications": [
            {
                "atc_code": m.atc_code,
                "name": m.name,
                "from_reference_list": m.medicine_id is not None,
            }
            for m in client.medications.all()
        ],
        "own_supplements": [
            {"name": s.name, "nutrient": s.nutrient.slug if s.nutrient else None, "dose": s.dose}
            for s in client.own_supplements.all()
        ],
        "consults": [_consult(consult) for consult in client.consults.all()],
    }


def export_filename(client: Client) -> str:
    return f"client-{client.client_number}-export.json"


# Erasure ------------------------------------------------------------------------------


def _admin_log_entries(client: Client) -> QuerySet[LogEntry]:
    """The admin's history of the client's records: its `object_repr` names the client
    ("Sanne Mulder (00042)"), so it goes with them."""
    ids = {
        Client: [client.pk],
        ClientMedication: client.medications.values_list("pk", flat=True),
        ClientSupplement: client.own_supplements.values_list("pk", flat=True),
        Consult: Consult.objects.filter(client=client).values_list("pk", flat=True),
        SupplementLine: SupplementLine.objects.filter(consult__client=client).values_list(
            "pk", flat=True
        ),
        Protocol: Protocol.objects.filter(consult__client=client).values_list("pk", flat=True),
        Acknowledgement: Acknowledgement.objects.filter(
            protocol__consult__client=client
        ).values_list("pk", flat=True),
    }
    types = ContentType.objects.get_for_models(*ids)
    condition = Q(pk__in=[])
    for model, pks in ids.items():
        condition |= Q(content_type=types[model], object_id__in=[str(pk) for pk in pks])
    return LogEntry.objects.filter(condition)


@transaction.atomic
def erase_client(*, client: Client, erased_by: User, reason: str) -> ErasureRecord:
    """Erase the client's record on their request and keep only an `ErasureRecord`.

    Removes the client, their medicines and own supplements, their consults with
    complaints and lines, the protocols issued from them with their acknowledgements,
    and the admin's history of these records, all in one transaction; the protocols' PDF
    files, and everything else in the client's folder of them, are deleted from storage
    once it commits. The access log keeps its entries (they
    carry the client's id, not their name) and gains an `erase` entry from the caller.
    Whether `erased_by` may erase this client is for the caller to decide
    (`practice.access.get_client_for_user`). Raises `ValidationError` keyed `reason` without one.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for the erasure, e.g. the client's request.")},
            code="required",
        )
    # The lock keeps new consults and protocols from being added to the record meanwhile.
    client = (
        Client.objects.select_for_update(of=("self",)).select_related("practice").get(pk=client.pk)
    )
    former_id, practice = client.pk, client.practice
    protocols = Protocol.objects.filter(consult__client=client)
    pdf_names = [name for name in protocols.values_list("pdf", flat=True) if name]
    removed: Counter[str] = Counter()
    removed.update(_admin_log_entries(client).delete()[1])
    # Acknowledgement -> Protocol and Protocol -> Consult are PROTECT, so the protocols go
    # first, their acknowledgements before them; the client's delete cascades to the rest.
    # Issued protocols never change (`Protocol.delete` raises): erasure on request is the
    # one exception the law makes, and this the only place that deletes them. A queryset
    # delete does not call `Protocol.delete`.
    removed.update(Acknowledgement.objects.filter(protocol__consult__client=client).delete()[1])
    removed.update(protocols.delete()[1])
    removed.update(client.delete()[1])
    # The practice's models keep no history tables (django-simple-history records the
    # knowledge base only); one added later must be erased here too.
    record = ErasureRecord(
        practice=practice,
        former_client_id=former_id,
        erased_by=erased_by,
        reason=reason,
        removed={label: count for label, count in sorted(removed.items()) if count},
    )
    record.full_clean()
    record.save()
    transaction.on_commit(partial(files.delete_client_files, former_id, pdf_names))
    return record


# Retention ----------------------------------------------------------------------------


def add_years(day: datetime.date, years: int) -> datetime.date:
    """`day` that many years on; 29 February becomes 1 March in a common year, so that a
    period of whole years is never cut short."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


@dataclass(frozen=True)
class RetentionDue:
    client_id: int
    client_number: str
    practitioner: str
    last_consult: datetime.date | None
    due: datetime.date


def retention_due(*, as_of: datetime.date) -> list[RetentionDue]:
    """The clients whose record has been kept `RETENTION_YEARS` years on `as_of`: counted
    from the last consult, or from the day the client was added when there is none.
    Soonest due first."""
    # A day's margin for 29 February; the exact due date is worked out below.
    latest = add_years(as_of, -RETENTION_YEARS) + datetime.timedelta(days=1)
    latest_moment = timezone.make_aware(datetime.datetime.combine(latest, datetime.time.max))
    clients = (
        Client.objects.select_related("practitioner")
        .annotate(last_consult=Max("consults__date"))
        .filter(
            Q(last_consult__lte=latest)
            | Q(last_consult__isnull=True, created_at__lte=latest_moment)
        )
    )
    due = []
    for client in clients:
        start = client.last_consult or timezone.localdate(client.created_at)
        if add_years(start, RETENTION_YEARS) <= as_of:
            due.append(
                RetentionDue(
                    client_id=client.pk,
                    client_number=client.client_number,
                    practitioner=client.practitioner.get_username(),
                    last_consult=client.last_consult,
                    due=add_years(start, RETENTION_YEARS),
                )
            )
    return sorted(due, key=lambda d: (d.due, d.client_id))
