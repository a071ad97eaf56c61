"""The protocol of snapshot schema 2: a handout the client can follow, in plain Dutch.

The client's part says, per supplement, what to take, how much, when and for how long,
and turns each finding of the check into one instruction in the words of its curated
client text, at the brochure's strength. ATC codes, class names, the brochure's advice
and the check's levels stay out of it: they are on the staff page and on the optional
last page for the client's physician or pharmacist.

The findings are worded by `practice.checking` (for the client, and for the physician,
whose words the staff's protocol page shows too). The same context feeds the staff's
protocol page (`templates/practice/protocol_detail.html`).
"""

from datetime import date, datetime

from django.utils.translation import gettext

from gutbrain.text import is_english, lower_first, tr
from practice.checking import Reader, level_words, word_finding, word_results
from practice.pdf.common import page_label, parties
from practice.schedule import (
    day_plan,
    dose_words,
    duration_words,
    format_dose,
    frequency_words,
    in_sentence,
    join_words,
)

TEMPLATE = "practice/protocol_document.html"
STYLESHEET = "css/protocol.css"

# The levels a client is told about next to a supplement; `clear` says nothing a client
# can act on, so the handout leaves it unsaid.
TOLD_LEVELS = ("avoid", "consult", "monitor", "separate_intake", "no_data", "none_known")


def _client_notes(result: dict, medicine_names: dict[str, str]) -> list[str]:
    """What the client is told about one nutrient: one instruction per finding, each
    said once."""
    return list(
        dict.fromkeys(
            word_finding(finding, medicine_names, Reader.CLIENT).advice
            for finding in result["findings"]
        )
    )


def _name_with_form(line: dict) -> tuple[str, str]:
    form = tr(line, "form_name")
    return tr(line, "nutrient_name"), lower_first(form) if form else ""


def _change_text(change: dict) -> str:
    line = change["after"] or change["before"]
    name = tr(line, "nutrient_name")
    if change["change"] == "added":
        return gettext("New: %(name)s, %(dose)s %(frequency)s.") % {
            "name": name,
            "dose": dose_words(line),
            "frequency": frequency_words(line),
        }
    if change["change"] == "stopped":
        return gettext("Stopped: %(name)s. You no longer take it.") % {"name": name}
    before, after = change["before"], change["after"]
    parts = []
    fields = set(change["fields"])
    if fields & {"dose_amount", "dose_unit"}:
        parts.append(
            gettext("now %(now)s (was %(was)s)")
            % {"now": dose_words(after), "was": dose_words(before)}
        )
    if "frequency" in fields:
        parts.append(
            gettext("now %(now)s (was %(was)s)")
            % {"now": frequency_words(after), "was": frequency_words(before)}
        )
    if "timing" in fields:
        parts.append(
            gettext("now %(now)s (was %(was)s)")
            % {"now": tr(after["timing_label"]), "was": tr(before["timing_label"])}
        )
    if "duration_weeks" in fields:
        parts.append(
            gettext("now %(now)s (was %(was)s)")
            % {"now": duration_words(after), "was": duration_words(before)}
        )
    if "form" in fields:
        parts.append(
            gettext("another form: %(form)s")
            % {"form": lower_first(tr(after, "form_name")) or gettext("no specific form")}
        )
    return gettext("Changed: %(name)s, %(changes)s.") % {"name": name, "changes": "; ".join(parts)}


def _intake(intake) -> dict:
    return {
        "name": in_sentence(intake.name),
        "form": in_sentence(intake.form) if intake.form else "",
        "dose": intake.dose,
        "meal_note": intake.meal_note,
        "note": intake.note,
    }


def _plan_rows(plan) -> list[dict]:
    """The day plan's rows as the handout prints them: per moment, the intakes taken the
    same way in one sentence ("Bij het ontbijt: magnesium 200 mg, saffraan 30 mg"), and
    each intake with a note of its own (the separation rule) on its own line."""
    rows = []
    for row in plan.rows:
        groups: dict[str, list] = {}
        noted = []
        for intake in map(_intake, row.intakes):
            if intake["note"]:
                noted.append(intake)
            else:
                groups.setdefault(intake["meal_note"], []).append(intake)
        rows.append(
            {
                "time_label": row.time_label,
                "moment_label": row.moment_label,
                "groups": [{"meal_note": note, "intakes": group} for note, group in groups.items()],
                "noted": noted,
            }
        )
    return rows


def protocol_context(snapshot: dict, *, for_pdf: bool) -> dict:
    """The template's context, built from the snapshot only, in the active language."""
    nutrients = snapshot["nutrients"]
    medications = snapshot["medications"]
    medicine_names = {m["atc_code"]: m["name"] for m in medications}
    results = {r["nutrient"]: r for r in snapshot["check"]["results"]}
    separate_intake = {slug for slug, r in results.items() if r["level"] == "separate_intake"}
    acknowledged = {ack["nutrient"]: ack for ack in snapshot["acknowledgements"]}
    issued_at = datetime.fromisoformat(snapshot["issued_at"])
    consult = snapshot["consult"]

    supplements = []
    for line in snapshot["lines"]:
        result = results.get(line["nutrient"], {"level": "clear", "findings": []})
        ack = acknowledged.get(line["nutrient"])
        name, form = _name_with_form(line)
        supplements.append(
            {
                "nutrient": line["nutrient"],
                "name": name,
                "form": form,
                "dose": dose_words(line),
                "frequency": frequency_words(line),
                "timing": tr(line["timing_label"]),
                "duration": duration_words(line),
                "instructions": line["instructions"],
                "level": result["level"],
                "level_label": (
                    level_words(result["level"], Reader.CLIENT)
                    if result["level"] in TOLD_LEVELS
                    else ""
                ),
                "notes": _client_notes(result, medicine_names),
                # Nothing recorded is said to the client, never left to look safe.
                "unknown": result["level"] == "no_data" and not result["findings"],
                "acknowledgement": ack["reason"] if ack else "",
            }
        )

    own = []
    for supplement in snapshot.get("own_supplements", []):
        result = results.get(supplement["nutrient"]) if supplement["nutrient"] else None
        if result and result.get("source") != "own_supplement":
            result = None  # also a line of this protocol: said there
        ack = acknowledged.get(supplement["nutrient"]) if result else None
        own.append(
            {
                "name": supplement["name"],
                "checked": supplement["nutrient"] is not None,
                "level": result["level"] if result else "",
                "level_label": (
                    level_words(result["level"], Reader.CLIENT)
                    if result and result["level"] in TOLD_LEVELS
                    else ""
                ),
                "notes": _client_notes(result, medicine_names) if result else [],
                "acknowledgement": ack["reason"] if ack else "",
            }
        )

    plan = day_plan(snapshot["lines"], medications, separate_intake)
    return {
        "for_pdf": for_pdf,
        "lang": "en" if is_english() else "nl",
        "title": gettext("Supplement advice for %(client)s, version %(version)s")
        % {"client": snapshot["client"]["name"], "version": snapshot["version"]},
        "issued_at": issued_at,
        "issued_at_iso": issued_at.isoformat(),
        "version": snapshot["version"],
        "previous_version": snapshot.get("previous_version"),
        "changes": [_change_text(change) for change in snapshot.get("changes", [])],
        "include_physician_page": snapshot["include_physician_page"],
        **parties(snapshot),
        "consult": {
            "date": date.fromisoformat(consult["date"]),
            "pregnant": consult["pregnant"],
            "breastfeeding": consult["breastfeeding"],
            # Running text writes "en", not the figure's "&".
            "complaints": [
                lower_first(tr(c, "name")).replace(" & ", " " + gettext("and") + " ")
                for c in consult["complaints"]
            ],
        },
        "medications": medications,
        "medicine_names": join_words([m["name"] for m in medications if m["name"]]),
        "supplements": supplements,
        "own_supplements": own,
        "plan": plan,
        "plan_rows": _plan_rows(plan),
        "as_needed": [_intake(intake) for intake in plan.as_needed],
        "food_sources": [
            {
                "name": tr(n, "name"),
                "foods": [lower_first(tr(f, "name")) for f in n["food_sources"]],
            }
            for n in nutrients.values()
            if n["food_sources"]
        ],
        "page_label": page_label(),
        # The staff page and the physician's page.
        "lines": [
            {
                "name": tr(line, "nutrient_name"),
                "form": tr(line, "form_name"),
                "dose": format_dose(line["dose_amount"], line["dose_unit_label"]),
                "frequency": tr(line["frequency_label"]),
                "timing": tr(line["timing_label"]),
                "duration": duration_words(line),
                "instructions": line["instructions"],
            }
            for line in snapshot["lines"]
        ],
        "warnings": word_results(
            snapshot["check"]["results"],
            {slug: tr(n, "name") for slug, n in nutrients.items()},
            medicine_names,
            Reader.PHYSICIAN,
        ),
        "not_checked": [n["name"] for n in snapshot["check"]["not_checked"]],
        "acknowledgements": [
            {"name": tr(ack, "nutrient_name"), "reason": ack["reason"], "by": ack["by"]}
            for ack in snapshot["acknowledgements"]
        ],
        "references": sorted(
            ((int(number), citation) for number, citation in snapshot["references"].items())
        ),
    }
