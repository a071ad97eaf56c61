"""The protocol document of snapshot schema 1 (protocols issued before the client
handout of issue #10): FROZEN.

A protocol's PDF is rendered again from its snapshot when its file is lost, and must come
out byte-identical, so this module's words (its level labels and reasons),
`templates/practice/protocol_document_schema1.html` and `static/css/protocol_schema1.css`
are kept exactly as they were when schema 1 was current (commit 3912a12), and so are the
Dutch texts they use. Never change them; a new document is a new schema (see
`practice.pdf`). What it shares with the current document (`practice.pdf.common`) renders
as it did then.

The same context feeds the staff's protocol page, which words the findings as it words a
current protocol's (`practice.checking.physician_concerns`), with the class as this
schema wrote it.
"""

from datetime import date, datetime

from django.utils.translation import gettext, ngettext

from gutbrain.text import is_english, tr
from practice.checking import physician_concerns
from practice.pdf.common import page_label, parties
from practice.schedule import format_dose, intake_schedule

TEMPLATE = "practice/protocol_document_schema1.html"
STYLESHEET = "css/protocol_schema1.css"


def level_label(level: str) -> str:
    """A check level in plain words for the client; never a colour alone."""
    labels = {
        # Translators: Dutch: "Afgeraden".
        "avoid": gettext("Advised against"),
        # Translators: Dutch: "Overleg met de behandelend arts".
        "consult": gettext("Consult your treating physician"),
        # Translators: Dutch: "Effecten monitoren".
        "monitor": gettext("Monitor the effects"),
        # Translators: Dutch: "Apart innemen".
        "separate_intake": gettext("Take separately from medicines"),
        # Translators: Dutch: "Geen gegevens over interacties vastgelegd — dit betekent
        # niet dat het veilig is".
        "no_data": gettext("No data on interactions recorded — this does not mean it is safe"),
        # Translators: Dutch: "Geen interacties bekend (volgens de bron)".
        "none_known": gettext("No interactions known (according to the source)"),
        # Translators: Dutch: "Geen vastgelegde interactie van toepassing".
        "clear": gettext("No recorded interaction applies"),
    }
    return labels[level]


def _reason_label(reason: str) -> str:
    return {
        "medicine": gettext("your medicines"),
        "any_medicine": gettext("your medicines"),
        "pregnancy": gettext("pregnancy"),
        "breastfeeding": gettext("breastfeeding"),
    }[reason]


def _duration(weeks: int | None) -> str:
    if weeks is None:
        return gettext("until further notice")
    return ngettext("%(weeks)s week", "%(weeks)s weeks", weeks) % {"weeks": weeks}


def _findings(result: dict, medicine_names: dict[str, str]) -> list[dict]:
    findings = []
    for finding in result["findings"]:
        medicines = [
            {"name": medicine_names.get(code, ""), "atc_code": code}
            for code in finding["atc_codes"]
        ]
        reason = _reason_label(finding["reason"])
        medicine_class = tr(finding["medicine_class"], "name") if finding["medicine_class"] else ""
        findings.append(
            {
                "level": finding["level"],
                "level_label": level_label(finding["level"]),
                "reason": reason,
                "medicine_class": medicine_class,
                "medicines": medicines,
                "advice": tr(finding, "advice"),
                # For the staff's protocol page; this document words it itself.
                "concerns": physician_concerns(
                    atc_codes=finding["atc_codes"],
                    medicine_names=medicine_names,
                    medicine_class=medicine_class,
                    reason=reason,
                ),
            }
        )
    return findings


def protocol_context(snapshot: dict, *, for_pdf: bool) -> dict:
    """The template's context, built from the snapshot only, in the active language."""
    nutrients = snapshot["nutrients"]
    medicine_names = {m["atc_code"]: m["name"] for m in snapshot["medications"]}
    results = snapshot["check"]["results"]
    separate_intake = {r["nutrient"] for r in results if r["level"] == "separate_intake"}
    issued_at = datetime.fromisoformat(snapshot["issued_at"])
    return {
        "for_pdf": for_pdf,
        "lang": "en" if is_english() else "nl",
        "title": gettext("Supplement protocol for %(client)s, version %(version)s")
        % {"client": snapshot["client"]["name"], "version": snapshot["version"]},
        "issued_at": issued_at,
        "issued_at_iso": issued_at.isoformat(),
        "version": snapshot["version"],
        **parties(snapshot),
        "consult": {
            "date": date.fromisoformat(snapshot["consult"]["date"]),
            "pregnant": snapshot["consult"]["pregnant"],
            "breastfeeding": snapshot["consult"]["breastfeeding"],
            "complaints": [tr(c, "name") for c in snapshot["consult"]["complaints"]],
        },
        "medications": snapshot["medications"],
        "lines": [
            {
                "name": tr(line, "nutrient_name"),
                "form": tr(line, "form_name"),
                "dose": format_dose(line["dose_amount"], line["dose_unit_label"]),
                "frequency": tr(line["frequency_label"]),
                "timing": tr(line["timing_label"]),
                "duration": _duration(line["duration_weeks"]),
                "instructions": line["instructions"],
            }
            for line in snapshot["lines"]
        ],
        "schedule": intake_schedule(
            snapshot["lines"],
            has_medicines=bool(snapshot["medications"]),
            separate_intake=separate_intake,
        ),
        "warnings": [
            {
                "name": tr(nutrients[r["nutrient"]], "name"),
                "level": r["level"],
                "level_label": level_label(r["level"]),
                "findings": _findings(r, medicine_names),
            }
            for r in results
        ],
        "acknowledgements": [
            {"name": tr(ack, "nutrient_name"), "reason": ack["reason"], "by": ack["by"]}
            for ack in snapshot["acknowledgements"]
        ],
        "food_sources": [
            {"name": tr(n, "name"), "foods": [tr(f, "name") for f in n["food_sources"]]}
            for n in nutrients.values()
            if n["food_sources"]
        ],
        "page_label": page_label(),
    }
