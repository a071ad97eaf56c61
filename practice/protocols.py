"""Issuing a consult's protocol.

`issue_protocol` is the one way a protocol comes into being: in one transaction it runs
the interaction check, enforces the acknowledgement rule, freezes everything the protocol
shows into a snapshot, renders the PDF from that snapshot and stores it. Rendering (HTML or
PDF) later reads only the snapshot, so edits to the consult or the knowledge base never
change an issued protocol.
"""

import base64
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from gutbrain.interactions import CheckResult
from gutbrain.models import Nutrient, Reference
from practice import access
from practice.checking import CHECK_PREFETCH, check_consult
from practice.models import (
    AccessAction,
    Acknowledgement,
    Consult,
    DoseUnit,
    Frequency,
    Protocol,
    SupplementLine,
    Timing,
)
from practice.pdf import files, render_protocol_pdf
from practice.services import ConsultChanged, ConsultGone

# 2: the client handout (issue #10): medicines' intake times, client texts of the
# findings, the references' citations, the changes since the previous version, the
# practice's logo and whether the physician's page is printed. Schema 1 snapshots are
# rendered by the frozen `practice.pdf.schema1`.
SNAPSHOT_SCHEMA = 2

# A logo larger than this is left off the protocol (it is embedded in every snapshot).
LOGO_MAX_BYTES = 256 * 1024
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}

# The line fields whose change the next version names.
CHANGED_FIELDS = ("form", "dose_amount", "dose_unit", "frequency", "timing", "duration_weeks")


class CheckChanged(ValidationError):
    """Issuing was refused: the check is no longer the one the issuer saw."""

    def __init__(self, result: CheckResult):
        self.result = result
        super().__init__(
            _(
                "The interaction check has changed since you saw it: the consult, the "
                "client's medicines or supplements, or the knowledge base was changed. "
                "Nothing was issued. Look at the new check and issue again."
            ),
            code="check_changed",
        )


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
        "digest": result.digest,
        "results": [
            {
                "nutrient": r.nutrient,
                "level": r.level,
                "source": r.source,
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
                        "client_advice_nl": f.client_advice_nl,
                        "client_advice_en": f.client_advice_en,
                        "references": list(f.references),
                    }
                    for f in r.findings
                ],
            }
            for r in result.results
        ],
        **result.medicines_data(),
    }


def _line_snapshot(line: SupplementLine) -> dict:
    return {
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


def _changes(before: list[dict], after: list[dict]) -> list[dict]:
    """What changed since the previous version, by nutrient: added, stopped, or changed
    (the fields of `CHANGED_FIELDS` that differ). A nutrient with several lines is
    compared line by line in order."""

    def by_nutrient(lines: list[dict]) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for line in lines:
            grouped.setdefault(line["nutrient"], []).append(line)
        return grouped

    old, new = by_nutrient(before), by_nutrient(after)
    changes = []
    for nutrient in [*new, *(n for n in old if n not in new)]:
        olds, news = old.get(nutrient, []), new.get(nutrient, [])
        for index in range(max(len(olds), len(news))):
            was = olds[index] if index < len(olds) else None
            now = news[index] if index < len(news) else None
            if was is None or now is None:
                changes.append(
                    {"change": "added" if was is None else "stopped", "before": was, "after": now}
                )
                continue
            fields = [f for f in CHANGED_FIELDS if was.get(f) != now.get(f)]
            if fields:
                changes.append({"change": "changed", "fields": fields, "before": was, "after": now})
    return changes


def _logo_data_uri(practice) -> str:
    """The practice's logo, embedded so that the snapshot alone renders the protocol: a
    PNG or JPEG up to `LOGO_MAX_BYTES`; anything else is left off."""
    if not practice.logo:
        return ""
    try:
        with practice.logo.open("rb") as logo:
            content = logo.read(LOGO_MAX_BYTES + 1)
    except OSError:
        return ""
    kind = next((t for magic, t in LOGO_TYPES.items() if content.startswith(magic)), None)
    if kind is None or len(content) > LOGO_MAX_BYTES:
        return ""
    return f"data:{kind};base64,{base64.b64encode(content).decode()}"


def build_snapshot(
    *,
    consult: Consult,
    version: int,
    issued_by: User,
    issued_at,
    result: CheckResult,
    acknowledgements: Sequence[AcknowledgementInput],
    include_physician_page: bool = True,
    previous: dict | None = None,
) -> dict:
    """Everything the protocol shows, as plain JSON data. `previous` is the snapshot of
    the consult's previous version, if any: the changes since are frozen with this one."""
    client = consult.client
    practice = client.practice
    member = getattr(issued_by, "practice_member", None)
    lines: list[SupplementLine] = list(consult.lines.all())
    nutrients = {line.nutrient.slug: line.nutrient for line in lines}
    own_supplements = list(client.own_supplements.all())
    own_nutrients = {
        own.nutrient.slug: own.nutrient
        for own in own_supplements
        if own.nutrient and own.nutrient.slug not in nutrients
    }
    cited = sorted({n for r in result.results for f in r.findings for n in f.references})
    line_data = [_line_snapshot(line) for line in lines]
    return {
        "schema": SNAPSHOT_SCHEMA,
        "version": version,
        "issued_at": issued_at.isoformat(),
        "include_physician_page": include_physician_page,
        "practice": {
            "name": practice.name,
            "address": practice.address,
            "phone": practice.phone,
            "email": practice.email,
            "agb_code": practice.agb_code,
            "logo": _logo_data_uri(practice),
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
        "medications": [
            {"atc_code": m.atc_code, "name": m.name, "intake_times": list(m.intake_times)}
            for m in client.medications.all()
        ],
        "own_supplements": [
            {
                "name": own.name,
                "nutrient": own.nutrient.slug if own.nutrient else None,
                "dose": own.dose,
            }
            for own in own_supplements
        ],
        "lines": line_data,
        "changes": _changes(previous["lines"], line_data) if previous else [],
        "previous_version": previous["version"] if previous else None,
        "check": _check_snapshot(result),
        "acknowledgements": [
            {
                "nutrient": ack.nutrient,
                "nutrient_name_nl": (nutrients | own_nutrients)[ack.nutrient].name_nl,
                "nutrient_name_en": (nutrients | own_nutrients)[ack.nutrient].name_en,
                "reason": ack.reason,
                "by": issued_by.get_full_name() or issued_by.get_username(),
            }
            for ack in acknowledgements
        ],
        # The sources of the findings, for the physician's page.
        "references": {
            str(number): citation
            for number, citation in Reference.objects.filter(number__in=cited)
            .order_by("number")
            .values_list("number", "citation")
        },
        "nutrients": {
            slug: {
                "name_nl": n.name_nl,
                "name_en": n.name_en,
                "food_sources": [
                    {"name_nl": f.name_nl, "name_en": f.name_en} for f in n.food_sources.all()
                ],
            }
            for slug, n in nutrients.items()
        }
        | {
            # Own supplements are named in the warnings; their foods are not advice.
            slug: {"name_nl": n.name_nl, "name_en": n.name_en, "food_sources": []}
            for slug, n in own_nutrients.items()
        },
    }


def _load_consult(consult_id: int) -> Consult:
    return (
        Consult.objects.select_related("client__practice")
        .prefetch_related(
            "complaints",
            *CHECK_PREFETCH,
            Prefetch(
                "lines",
                queryset=SupplementLine.objects.select_related("nutrient", "form").prefetch_related(
                    Prefetch("nutrient__food_sources")
                ),
            ),
        )
        .get(pk=consult_id)
    )


def issue_protocol(
    *,
    consult: Consult,
    issued_by: User,
    acknowledgements: Sequence[AcknowledgementInput] = (),
    check_digest: str | None = None,
    seen_revisions: Collection[int] | None = None,
    include_physician_page: bool = True,
    request: HttpRequest | None = None,
) -> Protocol:
    """Issue the consult's next protocol version: exactly what the issuer saw checked.

    One transaction: the protocol, its acknowledgements and, given the `request` it was
    issued in, its entry in the access log are saved together or not at all. The PDF is
    rendered and staged to a temporary file inside the transaction and put in place once
    the transaction has committed (`practice.pdf.files`): a full disk (`StorageFull`) or
    a storage that cannot be reached (`StorageUnreachable`) refuses the issue with nothing
    saved, and no file is ever left without its protocol.
    Called inside a transaction of the caller's, the file waits for that one to commit;
    if it rolls back instead, the staged file stays behind as a fragment in the client's
    folder, for `verify_media` (or the client's erasure) to remove.

    Refused, with nothing written:
    - `services.ConsultGone` when the consult was deleted meanwhile;
    - `services.ConsultChanged` when `seen_revisions` is given and the consult's revision
      is not among them (the API's `If-Match`);
    - `CheckChanged` when `check_digest` is given and the check now answers otherwise
      (the consult, the client's medicines or own supplements, or the knowledge base
      changed since the issuer saw it);
    - `UnacknowledgedAvoid` naming every nutrient (a line's or an own supplement's) with
      an `avoid` finding that has no written reason;
    - `ValidationError` for a consult without lines or an acknowledgement of a nutrient
      the check does not have.
    """
    staged: list[files.Staged] = []
    try:
        with access.logged_write(request, AccessAction.CREATE) as written:
            written.obj = _issue(
                consult=consult,
                issued_by=issued_by,
                acknowledgements=acknowledgements,
                check_digest=check_digest,
                seen_revisions=seen_revisions,
                include_physician_page=include_physician_page,
                staged=staged,
            )
            transaction.on_commit(staged[0].publish, robust=True)
    except BaseException:
        # Nothing was committed: the staged file goes too. (A kill here leaves it as a
        # fragment, which `verify_media` and the client's erasure remove.)
        for file in staged:
            file.discard()
        raise
    return written.obj


def _issue(
    *,
    consult: Consult,
    issued_by: User,
    acknowledgements: Sequence[AcknowledgementInput],
    check_digest: str | None,
    seen_revisions: Collection[int] | None,
    include_physician_page: bool,
    staged: list,
) -> Protocol:
    """`issue_protocol`'s work inside its transaction; the staged PDF is appended to
    `staged`."""
    # Lock the consult so two simultaneous issues cannot take the same version number.
    locked = Consult.objects.select_for_update().filter(pk=consult.pk).first()
    if locked is None:
        raise ConsultGone
    if seen_revisions is not None and locked.revision not in seen_revisions:
        raise ConsultChanged(locked.revision)
    consult = _load_consult(consult.pk)
    if not consult.lines.all():
        raise ValidationError(_("A protocol needs at least one supplement line."), code="empty")
    result = check_consult(consult)
    if check_digest is not None and check_digest != result.digest:
        raise CheckChanged(result)

    acks = [
        AcknowledgementInput(nutrient=a.nutrient, reason=a.reason.strip()) for a in acknowledgements
    ]
    in_consult = {r.nutrient for r in result.results}
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

    reasons = {a.nutrient: a.reason for a in acks}
    missing = [
        r.nutrient for r in result.results if r.level == "avoid" and r.nutrient not in reasons
    ]
    if missing:
        raise UnacknowledgedAvoid(missing)
    # Only acknowledgements of real avoid findings are printed and kept.
    avoided = {r.nutrient for r in result.results if r.level == "avoid"}
    acks = [a for a in acks if a.nutrient in avoided]

    previous = consult.protocols.order_by("-version").only("version", "snapshot").first()
    version = previous.version + 1 if previous else 1
    issued_at = timezone.now()
    snapshot = build_snapshot(
        consult=consult,
        version=version,
        issued_by=issued_by,
        issued_at=issued_at,
        result=result,
        acknowledgements=acks,
        include_physician_page=include_physician_page,
        previous=previous.snapshot if previous else None,
    )
    pdf = render_protocol_pdf(snapshot)
    protocol = Protocol(
        consult=consult,
        version=version,
        issued_at=issued_at,
        issued_by=issued_by,
        snapshot=snapshot,
        worst_level=result.worst_level or "clear",
        pdf_sha256=files.sha256(pdf),
    )
    protocol.pdf.name = files.protocol_name(
        client_id=consult.client_id, consult_id=consult.pk, version=version
    )
    protocol.full_clean()
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
    # Last, so that nothing is staged for a refused issue.
    staged.append(files.stage(protocol.pdf.name, pdf))
    return protocol
