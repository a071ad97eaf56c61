"""Checking a consult and issuing its protocol.

`issue_protocol` is the one way a protocol comes into being: in one transaction it runs
the interaction check, enforces the acknowledgement rule, freezes everything the protocol
shows into a snapshot, renders the PDF from that snapshot and stores it. Rendering (HTML or
PDF) later reads only the snapshot, so edits to the consult or the knowledge base never
change an issued protocol.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from gutbrain.interactions import CheckResult, check, load_table
from gutbrain.interactions.rules import UnknownNutrient
from gutbrain.models import Nutrient
from practice.models import (
    Acknowledgement,
    Consult,
    DoseUnit,
    Frequency,
    Protocol,
    SupplementLine,
    Timing,
)
from practice.pdf import render_protocol_pdf

SNAPSHOT_SCHEMA = 1


def consult_nutrients(consult: Consult) -> list[str]:
    return [line.nutrient.slug for line in consult.lines.all()]


def consult_atc_codes(consult: Consult) -> list[str]:
    return [m.atc_code for m in consult.client.medications.all()]


def check_consult(consult: Consult) -> CheckResult:
    """The interaction check for the consult's lines against the client's medicines and
    the consult's pregnancy and breastfeeding.

    Raises `ValidationError` when a line's nutrient has been unpublished since it was added:
    such a line can no longer be checked, so it must not pass as checked.
    """
    try:
        return check(
            load_table(),
            consult_nutrients(consult),
            consult_atc_codes(consult),
            pregnant=consult.pregnant,
            breastfeeding=consult.breastfeeding,
        )
    except UnknownNutrient as exc:
        raise ValidationError(
            _("These nutrients are no longer in the knowledge base: %(n)s.")
            % {"n": ", ".join(exc.slugs)},
            code="unpublished_nutrient",
        ) from exc


@dataclass(frozen=True)
class AcknowledgementInput:
    nutrient: str
    reason: str


class UnacknowledgedAvoid(ValidationError):
    """Issuing was refused: these nutrients have an `avoid` finding without a reason."""

    def __init__(self, nutrients: list[str]):
        self.nutrients = nutrients
        super().__init__(
            _("Acknowledge with a written reason before issuing: %(nutrients)s.")
            % {"nutrients": ", ".join(nutrients)},
            code="unacknowledged_avoid",
        )


def _both(label_source) -> dict[str, str]:
    """A translated label in both languages, frozen at issue time."""
    labels = {}
    for lang in ("nl", "en"):
        with override(lang):
            labels[lang] = str(label_source)
    return labels


def _check_snapshot(result: CheckResult) -> dict:
    return {
        "worst_level": result.worst_level,
        "results": [
            {
                "nutrient": r.nutrient,
                "level": r.level,
                "findings": [
                    {
                        "level": f.level,
                        "reason": f.reason,
                        "atc_codes": list(f.atc_codes),
                        "medicine_class": (
                            {
                                "slug": f.medicine_class.slug,
                                "name_nl": f.medicine_class.name_nl,
                                "name_en": f.medicine_class.name_en,
                            }
                            if f.medicine_class
                            else None
                        ),
                        "advice_nl": f.advice_nl,
                        "advice_en": f.advice_en,
                        "references": list(f.references),
                    }
                    for f in r.findings
                ],
            }
            for r in result.results
        ],
    }


def build_snapshot(
    *,
    consult: Consult,
    version: int,
    issued_by: User,
    issued_at,
    result: CheckResult,
    acknowledgements: list[AcknowledgementInput],
) -> dict:
    """Everything the protocol shows, as plain JSON data."""
    client = consult.client
    practice = client.practice
    member = getattr(issued_by, "practice_member", None)
    lines: list[SupplementLine] = list(consult.lines.all())
    nutrients = {line.nutrient.slug: line.nutrient for line in lines}
    return {
        "schema": SNAPSHOT_SCHEMA,
        "version": version,
        "issued_at": issued_at.isoformat(),
        "practice": {
            "name": practice.name,
            "address": practice.address,
            "phone": practice.phone,
            "email": practice.email,
            "agb_code": practice.agb_code,
        },
        "practitioner": {
            "name": issued_by.get_full_name() or issued_by.get_username(),
            "agb_code": member.agb_code if member else "",
        },
        "client": {
            "name": client.full_name,
            "client_number": client.client_number,
            "date_of_birth": client.date_of_birth.isoformat(),
        },
        "consult": {
            "id": consult.pk,
            "date": consult.date.isoformat(),
            "pregnant": consult.pregnant,
            "breastfeeding": consult.breastfeeding,
            "complaints": [
                {"slug": c.slug, "name_nl": c.name_nl, "name_en": c.name_en}
                for c in consult.complaints.all()
            ],
        },
        "medications": [{"atc_code": m.atc_code, "name": m.name} for m in client.medications.all()],
        "lines": [
            {
                "nutrient": line.nutrient.slug,
                "nutrient_name_nl": line.nutrient.name_nl,
                "nutrient_name_en": line.nutrient.name_en,
                "form": line.form.slug if line.form else None,
                "form_name_nl": line.form.name_nl if line.form else "",
                "form_name_en": line.form.name_en if line.form else "",
                "dose_amount": format(line.dose_amount.normalize(), "f"),
                "dose_unit": line.dose_unit,
                "dose_unit_label": _both(DoseUnit(line.dose_unit).label),
                "frequency": line.frequency,
                "frequency_label": _both(Frequency(line.frequency).label),
                "timing": line.timing,
                "timing_label": _both(Timing(line.timing).label),
                "duration_weeks": line.duration_weeks,
                "instructions": line.instructions,
            }
            for line in lines
        ],
        "check": _check_snapshot(result),
        "acknowledgements": [
            {
                "nutrient": ack.nutrient,
                "nutrient_name_nl": nutrients[ack.nutrient].name_nl,
                "nutrient_name_en": nutrients[ack.nutrient].name_en,
                "reason": ack.reason,
                "by": issued_by.get_full_name() or issued_by.get_username(),
            }
            for ack in acknowledgements
        ],
        "nutrients": {
            slug: {
                "name_nl": n.name_nl,
                "name_en": n.name_en,
                "food_sources": [
                    {"name_nl": f.name_nl, "name_en": f.name_en} for f in n.food_sources.all()
                ],
            }
            for slug, n in nutrients.items()
        },
    }


def _load_consult(consult_id: int) -> Consult:
    return (
        Consult.objects.select_related("client__practice")
        .prefetch_related(
            "complaints",
            "client__medications",
            Prefetch(
                "lines",
                queryset=SupplementLine.objects.select_related("nutrient", "form").prefetch_related(
                    Prefetch("nutrient__food_sources")
                ),
            ),
        )
        .get(pk=consult_id)
    )


@transaction.atomic
def issue_protocol(
    *,
    consult: Consult,
    issued_by: User,
    acknowledgements: list[AcknowledgementInput] = (),
) -> Protocol:
    """Issue the consult's next protocol version.

    Raises `UnacknowledgedAvoid` naming every nutrient with an `avoid` finding that has no
    written reason, and `ValidationError` for a consult without lines or an
    acknowledgement of a nutrient the consult does not have. Nothing is written then.
    """
    # Lock the consult so two simultaneous issues cannot take the same version number.
    Consult.objects.select_for_update().filter(pk=consult.pk).first()
    consult = _load_consult(consult.pk)
    if not consult.lines.all():
        raise ValidationError(_("A protocol needs at least one supplement line."), code="empty")

    acks = [
        AcknowledgementInput(nutrient=a.nutrient, reason=a.reason.strip()) for a in acknowledgements
    ]
    in_consult = set(consult_nutrients(consult))
    strangers = sorted({a.nutrient for a in acks} - in_consult)
    if strangers:
        raise ValidationError(
            _("Acknowledged nutrients are not in this consult: %(n)s.")
            % {"n": ", ".join(strangers)},
            code="unknown_acknowledgement",
        )
    if any(not a.reason for a in acks):
        raise ValidationError(_("Every acknowledgement needs a written reason."), code="no_reason")
    if len({a.nutrient for a in acks}) != len(acks):
        raise ValidationError(
            _("Acknowledge each nutrient once."), code="duplicate_acknowledgement"
        )

    result = check_consult(consult)
    reasons = {a.nutrient: a.reason for a in acks}
    missing = [
        r.nutrient for r in result.results if r.level == "avoid" and r.nutrient not in reasons
    ]
    if missing:
        raise UnacknowledgedAvoid(missing)
    # Only acknowledgements of real avoid findings are printed and kept.
    avoided = {r.nutrient for r in result.results if r.level == "avoid"}
    acks = [a for a in acks if a.nutrient in avoided]

    version = (consult.protocols.aggregate(v=Max("version"))["v"] or 0) + 1
    issued_at = timezone.now()
    snapshot = build_snapshot(
        consult=consult,
        version=version,
        issued_by=issued_by,
        issued_at=issued_at,
        result=result,
        acknowledgements=acks,
    )
    pdf = render_protocol_pdf(snapshot)
    protocol = Protocol(
        consult=consult,
        version=version,
        issued_at=issued_at,
        issued_by=issued_by,
        snapshot=snapshot,
        worst_level=result.worst_level or "clear",
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )
    protocol.full_clean(exclude=["pdf"])
    protocol.pdf.save(
        f"protocol-{consult.client.client_number}-{consult.pk}-v{version}.pdf",
        ContentFile(pdf),
        save=False,
    )
    try:
        protocol.save()
        nutrients = Nutrient.objects.in_bulk([a.nutrient for a in acks], field_name="slug")
        Acknowledgement.objects.bulk_create(
            Acknowledgement(
                protocol=protocol,
                nutrient=nutrients[a.nutrient],
                reason=a.reason,
                acknowledged_by=issued_by,
                acknowledged_at=issued_at,
            )
            for a in acks
        )
    except BaseException:
        # The rows roll back with the transaction; the stored file must go with them.
        protocol.pdf.storage.delete(protocol.pdf.name)
        raise
    return protocol
