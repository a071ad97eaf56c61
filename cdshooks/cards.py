"""The interaction check's answer as CDS Hooks cards, in the active language (the request's
`Accept-Language`; Dutch by default).

One card per nutrient that has findings, or of which nothing is recorded (`no_data`, never
to be read as safe): `indicator` `critical` for `avoid`, `warning` for `consult` and
`monitor`, `info` for the others. A nutrient whose answer is `clear` or `none_known` gets
no card: the specification's empty answer means "no guidance". Then an `info` card for each
order that could not be checked, one for the medicines without an ATC code, and one for a
pregnancy or breastfeeding status that could not be had: what was not checked is said,
never left out silently.

`summary` is one line under 140 characters; `detail` is GitHub-flavoured Markdown, in
which every text from the EHR or the knowledge base is escaped, so that it reads as text
(no links, images or HTML can come in through a medicine's name). The level's words and
meanings, and what a finding is about, come from where the staff pages take them
(`gutbrain.templatetags.gutbrain_tags`, `practice.checking`, in the staff's words).
"""

import re
from collections.abc import Mapping

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gutbrain import text
from gutbrain.interactions.rules import LEVEL_ORDER, Finding, NutrientResult
from gutbrain.templatetags.gutbrain_tags import level_label, level_meaning
from practice.checking import Reader, concerns_in_short, word_finding

INDICATORS = {"avoid": "critical", "consult": "warning", "monitor": "warning"}
CARD_LEVELS = frozenset({"avoid", "consult", "monitor", "separate_intake", "no_data"})
SUMMARY_LENGTH = 139
# What makes Markdown of text anywhere in a line (emphasis, links, images, HTML, code,
# tables, entities), and at the start of one (headings, lists, quotes).
_INLINE = re.compile(r"([\\`*_\[\]<>!|~&])")
_LINE_START = re.compile(r"^([#>+=-]|\d+[.)])")


def escape(value: str) -> str:
    """`value` as literal text in Markdown, on one line."""
    value = _INLINE.sub(r"\\\1", " ".join(value.split()))
    return _LINE_START.sub(lambda m: m[1][:-1] + "\\" + m[1][-1], value)


def _summary(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= SUMMARY_LENGTH else value[: SUMMARY_LENGTH - 1] + "…"


def source() -> dict:
    return {"label": _("gutbrain knowledge base: interactions of supplements")}


def _card(summary: str, indicator: str, detail: str) -> dict:
    return {
        "summary": _summary(summary),
        "indicator": indicator,
        "detail": detail,
        "source": source(),
    }


def _finding_block(finding: Finding, medicine_names: Mapping[str, str]) -> str:
    concerns = word_finding(finding, medicine_names, Reader.STAFF).concerns
    lines = [f"**{escape(capfirst(level_label(finding.level)))}** – {escape(concerns)}"]
    advice = text.tr(finding, "advice")
    if advice:
        lines.append(escape(advice))
    if finding.references:
        numbers = ", ".join(str(number) for number in finding.references)
        lines.append(_("References of the source: %(numbers)s") % {"numbers": numbers})
    return "\n\n".join(lines)


def nutrient_card(result: NutrientResult, name: str, medicine_names: Mapping[str, str]) -> dict:
    """The card of a nutrient whose level is one of `CARD_LEVELS`."""
    label = level_label(result.level)
    if result.findings:
        concerns = concerns_in_short(result.findings[0])
        summary = f"{name}: {label} ({concerns})"
    else:
        summary = f"{name}: {label}"
    blocks = [_finding_block(f, medicine_names) for f in result.findings]
    blocks.append(f"*{escape(level_meaning(result.level))}*")
    return _card(summary, INDICATORS.get(result.level, "info"), "\n\n".join(blocks))


def nutrient_cards(
    results: list[NutrientResult], names: Mapping[str, str], medicine_names: Mapping[str, str]
) -> list[dict]:
    """The cards of the nutrients that need one, most serious first."""
    rank = {level: index for index, level in enumerate(LEVEL_ORDER)}
    shown = [r for r in results if r.level in CARD_LEVELS]
    shown.sort(key=lambda r: rank[r.level])  # stable: the orders' order within a level
    return [nutrient_card(r, names[r.nutrient], medicine_names) for r in shown]


def not_checked_card(label: str, code: str = "") -> dict:
    """An order that names no nutrient of the knowledge base."""
    name = label or _("An order without a name")
    if code:
        detail = _(
            "The code %(code)s of the nutrient code system is not a nutrient of the "
            "knowledge base, so this order was not checked for interactions. That does not "
            "mean it is safe."
        ) % {"code": escape(code)}
    else:
        detail = _(
            "The knowledge base has no nutrient by this name, so this order was not checked "
            "for interactions. That does not mean it is safe."
        )
    return _card(_("%(name)s: not checked") % {"name": name}, "info", detail)


def unread_medicines_card(names: list[str]) -> dict:
    """The patient's medicines that have no ATC code, which the check could not use."""
    count = len(names)
    summary = ngettext(
        "%(count)d medicine without an ATC code was not checked against",
        "%(count)d medicines without an ATC code were not checked against",
        count,
    ) % {"count": count}
    unnamed = _("a medicine without a name")
    listed = "\n".join(f"- {escape(name or unnamed)}" for name in names)
    detail = (
        _(
            "The check uses the ATC codes of the medicines. These have none, so their "
            "interactions with the orders were not checked:"
        )
        + "\n\n"
        + listed
        + "\n\n"
        + _("Add their ATC codes in the EHR, or check them by hand.")
    )
    return _card(summary, "info", detail)


def unknown_states_card(states: list[str], reason: str) -> dict:
    """Pregnancy or breastfeeding could not be had: the check took them as not so."""
    pregnancy, breastfeeding = "pregnancy" in states, "breastfeeding" in states
    if pregnancy and breastfeeding:
        summary = _("Pregnancy and breastfeeding unknown: not checked")
        detail = _(
            "Whether the patient is pregnant or breastfeeding could not be had "
            "(%(reason)s). The orders were checked as for a patient who is neither."
        )
    elif pregnancy:
        summary = _("Pregnancy unknown: not checked")
        detail = _(
            "Whether the patient is pregnant could not be had (%(reason)s). The orders "
            "were checked as for a patient who is not pregnant."
        )
    else:
        summary = _("Breastfeeding unknown: not checked")
        detail = _(
            "Whether the patient is breastfeeding could not be had (%(reason)s). The "
            "orders were checked as for a patient who is not breastfeeding."
        )
    return _card(summary, "info", detail % {"reason": escape(reason)})
