"""Template helpers shared by the knowledge base and the practice pages.

`{% load gutbrain_tags %}` gives:
- `{{ obj|tr:"name" }}`: the Dutch or English field for the active language;
- `{% level_badge level %}`: an interaction level as a coloured badge with its words;
  the one place that maps a level to its CSS class and label;
- `{% levels_explained as legend %}`: every level with what it means in plain words
  (the legend, `gutbrain/_level_legend.html`);
- `{{ text|text_blocks }}`: paragraphs split on blank lines, "- " lines as lists;
- `{{ references|ref_numbers }}`, `{{ days|duration }}`, `{{ obj|dose:"usual_dose" }}`;
- `{% outcome_chart summary %}`: a trial's outcomes as a bar chart (figures.py).
"""

import re
from collections.abc import Iterable

from django import template
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gutbrain import figures, text
from gutbrain.models import EvidenceSummary, Level, Localized, Reference

register = template.Library()

LEVEL_CSS_CLASSES: dict[str, str] = {
    Level.AVOID: "level-avoid",
    Level.CONSULT: "level-consult",
    Level.MONITOR: "level-monitor",
    Level.SEPARATE_INTAKE: "level-separate-intake",
    Level.NO_DATA: "level-no-data",
    Level.NONE_KNOWN: "level-none-known",
    Level.CLEAR: "level-clear",
}

# Only the words may reassure, and only as far as they are true: `clear` and `none_known`
# are drawn in a neutral grey (gutbrain.css, protocol.css), never green.
LEVEL_MEANINGS: dict[str, Promise] = {
    Level.AVOID: gettext_lazy(
        "The source advises against this nutrient in this situation: with the medicine, in "
        "pregnancy or while breastfeeding."
    ),
    Level.CONSULT: gettext_lazy("Consult the treating physician before the client starts it."),
    Level.MONITOR: gettext_lazy(
        "It may be combined, but watch the effects; consult the physician when in doubt."
    ),
    Level.SEPARATE_INTAKE: gettext_lazy(
        "Take it at a different time of day from the medicines, as the advice says."
    ),
    Level.NO_DATA: gettext_lazy(
        "The source records nothing about it. That is a gap in the source, not proof of safety."
    ),
    Level.NONE_KNOWN: gettext_lazy("The source states that no interactions are known."),
    Level.CLEAR: gettext_lazy(
        "The source has statements about this nutrient, but none applies to this client. "
        "That is no proof of safety."
    ),
}


def level_css_class(level: str) -> str:
    """The CSS class of an interaction level (`level-avoid`, …)."""
    return LEVEL_CSS_CLASSES[Level(level)]


def level_label(level: str) -> str:
    """The translated words of an interaction level."""
    return str(Level(level).label)


def level_meaning(level: str) -> str:
    """What an interaction level means, in one plain sentence or two."""
    return str(LEVEL_MEANINGS[Level(level)])


@register.simple_tag
def levels_explained() -> list[tuple[str, str]]:
    """Every level, most serious first, with its meaning: the legend's rows."""
    return [(level.value, level_meaning(level)) for level in Level]


@register.simple_tag
def level_badge(level: str | None) -> str:
    """`<span class="level level-avoid">advised against</span>`: colour and words, never
    colour alone. Nothing for no level (an empty check); an unknown level is an error."""
    if not level:
        return ""
    return format_html(
        '<span class="level {}">{}</span>', level_css_class(level), level_label(level)
    )


@register.filter
def tr(obj: Localized | dict, field: str) -> str:
    """`gutbrain.text.tr`: a model's or a snapshot's text in the active language."""
    return text.tr(obj, field)


@register.filter
def text_blocks(text: str) -> SafeString:
    """Paragraphs separated by blank lines; lines starting with "- " become a list."""
    html: list[str] = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        paragraph: list[str] = []
        items: list[str] = []
        for line in (line.strip() for line in block.splitlines()):
            if not line:
                continue
            if line.startswith("- "):
                if paragraph:
                    html.append(format_html("<p>{}</p>", " ".join(paragraph)))
                    paragraph = []
                items.append(line[2:].strip())
            else:
                if items:
                    html.append(_list(items))
                    items = []
                paragraph.append(line)
        if paragraph:
            html.append(format_html("<p>{}</p>", " ".join(paragraph)))
        if items:
            html.append(_list(items))
    return mark_safe("\n".join(html))


def _list(items: list[str]) -> SafeString:
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items)))


@register.filter
def lines(text: str) -> list[str]:
    """One statement a line, as a list (empty lines dropped)."""
    return [line.strip().removeprefix("- ") for line in (text or "").splitlines() if line.strip()]


@register.filter
def ref_numbers(references: Iterable[Reference]) -> str:
    """ "36, 42": the reference numbers, ascending."""
    return ", ".join(str(n) for n in sorted({ref.number for ref in references}))


@register.filter
def duration(days: int | None) -> str:
    if not days:
        return ""
    text = ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
    if days % 7 == 0:
        weeks = days // 7
        text += " (" + ngettext("%(weeks)d week", "%(weeks)d weeks", weeks) % {"weeks": weeks} + ")"
    return text


@register.filter
def dose(obj: Localized, prefix: str) -> str:
    """The dose as the source writes it, else the amount and unit: `obj|dose:"usual_dose"`."""
    written = obj.tr(prefix)
    if written:
        return written
    amount = getattr(obj, f"{prefix}_amount", None)
    if amount is None:
        return ""
    return f"{amount.normalize():f} {getattr(obj, f'{prefix}_unit', '')}".strip()


@register.simple_tag
def outcome_chart(summary: EvidenceSummary) -> str:
    """The summary's outcomes that have figures, as a bar chart; "" when none has.

    Reads `summary.outcomes.all()` and `summary.nutrient`: prefetch them."""
    outcomes = [
        figures.OutcomeBars(
            measure=o.tr("measure"),
            intervention=o.intervention_change,
            comparator=o.comparator_change,
            unit=o.unit,
        )
        for o in summary.outcomes.all()
        if o.has_figures
    ]
    if not outcomes:
        return ""
    name = summary.nutrient.tr("name")
    amount = dose(summary, "dose")
    if not amount:
        intervention = name
    elif name.lower() in amount.lower():  # "300 mg ashwagandha"
        intervention = amount
    else:
        intervention = f"{name} {amount}"
    return figures.outcome_bar_chart(
        figure_id=f"evidence-{summary.pk}-chart",
        title=_("%(title)s: change with %(intervention)s and with %(comparator)s")
        % {
            "title": summary.tr("title"),
            "intervention": intervention,
            "comparator": summary.tr("comparator") or _("the comparator"),
        },
        intervention_label=intervention,
        comparator_label=summary.tr("comparator") or _("comparator"),
        outcomes=outcomes,
    )


@register.filter
def any_citation(references: Iterable[Reference]) -> bool:
    return any(ref.citation for ref in references)
