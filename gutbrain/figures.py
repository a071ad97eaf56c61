"""The knowledge base's figures as SVG, drawn on the server.

Pure functions: they take plain data (text already translated, numbers, URLs) and return
SVG markup to inline in a page. Every text is escaped. The drawings hold no script and no
`style` attribute: colours are presentation attributes, so a figure reads the same outside
the page (a PDF, a saved file), and CSS can still restyle it through the classes.

Text widths are estimated from the number of characters (there are no font metrics on the
server), generously, so that labels fit in the usual system sans-serif fonts.
"""

import html
import itertools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1d2b36"
MUTED = "#4d5c66"
AXIS = "#5f6f79"
INTERVENTION = "#1f5f7a"
COMPARATOR = "#7b8e9a"
CHIP_INK = "#1a5672"
MINUS = "\u2212"
CHAR_WIDTH = 0.58  # of the font size, on average


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _attrs(attrs: dict[str, object]) -> str:
    """`{"stroke_width": 2, "class_": "a"}` → ` stroke-width="2" class="a"`; None is left out."""
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        name = name.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = f"{value:.1f}".rstrip("0").rstrip(".")
        parts.append(f' {name}="{_esc(value)}"')
    return "".join(parts)


def _el(tag: str, *children: str, **attrs: object) -> str:
    """An element; `children` are markup (already escaped), attribute values are escaped."""
    if not children:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{''.join(children)}</{tag}>"


def _text(x: float, y: float, text: str, size: float, **attrs: object) -> str:
    return _el("text", _esc(text), x=x, y=y, font_size=size, **attrs)


def _lines(x: float, y: float, lines: Sequence[str], size: float, **attrs: object) -> str:
    """A <text> with one <tspan> per line; `y` is the baseline of the first line."""
    step = round(size * 1.3, 1)
    spans = [
        _el("tspan", _esc(line), x=x, dy=0 if i == 0 else step) for i, line in enumerate(lines)
    ]
    return _el("text", *spans, x=x, y=y, font_size=size, **attrs)


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _wrap(text: str, width_px: float, size: float) -> list[str]:
    chars = max(4, int(width_px / (size * CHAR_WIDTH)))
    return textwrap.wrap(text, chars) or [""]


def _safe_url(url: str) -> str | None:
    """Only links within the site or to http(s) pages: never `javascript:`."""
    if url.startswith(("/", "https://", "http://", "#")) and not url.startswith("//"):
        return url
    return None


def _svg(
    figure_id: str,
    width: float,
    height: float,
    kind: str,
    *,
    title: str,
    desc: str,
    body: Sequence[str],
    labelled: bool = True,
) -> SafeString:
    """The root element. A labelled figure is an image named by its title and desc; an
    unlabelled one is hidden from assistive technology (the page gives its content)."""
    a11y: dict[str, object] = (
        {"role": "img", "aria_labelledby": f"{figure_id}-title {figure_id}-desc"}
        if labelled
        else {"aria_hidden": "true", "focusable": "false"}
    )
    markup = _el(
        "svg",
        _el("title", _esc(title), id=f"{figure_id}-title"),
        _el("desc", _esc(desc), id=f"{figure_id}-desc"),
        *body,
        xmlns="http://www.w3.org/2000/svg",
        id=figure_id,
        class_=f"figure figure-{kind}",
        viewBox=f"0 0 {round(width)} {round(height)}",
        width=round(width),
        height=round(height),
        font_family=FONT,
        fill=INK,
        **a11y,
    )
    return mark_safe(markup)  # every text and attribute went through _esc


def _arrow_marker(marker_id: str, colour: str) -> str:
    return _el(
        "marker",
        _el("path", d="M0,0 L10,5 L0,10 z", fill=colour),
        id=marker_id,
        viewBox="0 0 10 10",
        refX=9,
        refY=5,
        markerWidth=8,
        markerHeight=8,
        orient="auto-start-reverse",
    )


def format_change(value: Decimal | float | int, unit: str = "") -> str:
    """A signed change as people write it: +4.3%, −75.6% (with a decimal comma in Dutch)."""
    number = Decimal(str(value))
    magnitude = abs(number).normalize()
    decimals = max(0, -int(magnitude.as_tuple().exponent))
    text = number_format(abs(number), decimal_pos=min(decimals, 2))
    sign = "+" if number > 0 else MINUS if number < 0 else ""
    if not unit:
        return f"{sign}{text}"
    separator = "" if unit == "%" else "\u00a0"
    return f"{sign}{text}{separator}{unit}"


# Bar chart of a trial's outcomes -------------------------------------------------------


@dataclass(frozen=True)
class OutcomeBars:
    """One measured outcome: the signed change with the intervention and the comparator."""

    measure: str
    intervention: Decimal | float | int
    comparator: Decimal | float | int
    unit: str = "%"


BAR_PLOT_HEIGHT = 180
BAR_WIDTH = 44
BAR_GAP = 14
GROUP_WIDTH = 2 * BAR_WIDTH + BAR_GAP + 96
VALUE_ROOM = 22
LABEL_SIZE = 12.5


def outcome_bar_chart(
    *,
    figure_id: str,
    title: str,
    intervention_label: str,
    comparator_label: str,
    outcomes: Sequence[OutcomeBars],
) -> SafeString:
    """Signed changes of each outcome as bars from a zero axis, intervention beside
    comparator, each bar labelled with its value. Heights are proportional to the values;
    a fall hangs below the axis, a rise stands above it."""
    values = [float(v) for o in outcomes for v in (o.intervention, o.comparator)]
    high = max([0.0, *values])
    span = (high - min([0.0, *values])) or 1.0
    left = 16
    top = 30 + VALUE_ROOM  # below the legend, with room for the values above the bars
    zero_y = top + high / span * BAR_PLOT_HEIGHT
    label_top = top + BAR_PLOT_HEIGHT + VALUE_ROOM + 8
    measures = [_wrap(o.measure, GROUP_WIDTH - 12, LABEL_SIZE) for o in outcomes]
    height = label_top + max([1, *(len(lines) for lines in measures)]) * 17 + 8
    width = max(
        left * 2 + GROUP_WIDTH * max(1, len(outcomes)),
        left * 2 + 120 + _text_width(intervention_label + comparator_label, LABEL_SIZE),
    )
    series = (
        (intervention_label, INTERVENTION, "intervention"),
        (comparator_label, COMPARATOR, "comparator"),
    )

    body = []
    x = float(left)
    for label, colour, kind in series:
        body.append(
            _el(
                "rect",
                x=x,
                y=8,
                width=14,
                height=14,
                rx=2,
                fill=colour,
                class_=f"swatch swatch-{kind}",
            )
        )
        body.append(_text(x + 20, 20, label, LABEL_SIZE))
        x += 44 + _text_width(label, LABEL_SIZE)

    for index, (outcome, lines) in enumerate(zip(outcomes, measures, strict=True)):
        group_x = left + index * GROUP_WIDTH
        bars_x = group_x + (GROUP_WIDTH - (2 * BAR_WIDTH + BAR_GAP)) / 2
        group = []
        for (who, colour, kind), value, offset in zip(
            series,
            (outcome.intervention, outcome.comparator),
            (0, BAR_WIDTH + BAR_GAP),
            strict=True,
        ):
            number = float(value)
            length = abs(number) / span * BAR_PLOT_HEIGHT
            y = zero_y - length if number > 0 else zero_y
            label = format_change(value, outcome.unit)
            group.append(
                _el(
                    "rect",
                    _el("title", _esc(f"{outcome.measure} – {who}: {label}")),
                    x=bars_x + offset,
                    y=y,
                    width=BAR_WIDTH,
                    height=length,
                    fill=colour,
                    class_=f"bar bar-{kind}",
                    data_value=str(value),
                )
            )
            group.append(
                _text(
                    bars_x + offset + BAR_WIDTH / 2,
                    y - 6 if number >= 0 else y + length + 15,
                    label,
                    LABEL_SIZE,
                    font_weight="600",
                    text_anchor="middle",
                    class_=f"value value-{kind}",
                )
            )
        group.append(
            _lines(
                group_x + GROUP_WIDTH / 2,
                label_top + 4,
                lines,
                LABEL_SIZE,
                text_anchor="middle",
                fill=MUTED,
                class_="measure",
            )
        )
        body.append(_el("g", *group, class_="outcome"))
    body.append(
        _el(
            "line",
            x1=left,
            y1=zero_y,
            x2=width - left,
            y2=zero_y,
            stroke=AXIS,
            stroke_width=1.5,
            class_="zero-axis",
        )
    )
    body.append(_text(width - left, zero_y - 5, "0", 11, text_anchor="end", fill=MUTED))
    desc = "; ".join(
        f"{o.measure}: {intervention_label} {format_change(o.intervention, o.unit)}, "
        f"{comparator_label} {format_change(o.comparator, o.unit)}"
        for o in outcomes
    )
    return _svg(figure_id, width, height, "bars", title=title, desc=desc, body=body)


# Pathway (figure 2) ------------------------------------------------------------------


@dataclass(frozen=True)
class PathwayNode:
    substance: str
    conversion: str = ""
    """How this substance is converted into the next one; ignored for the last."""


def pathway_diagram(*, figure_id: str, title: str, steps: Sequence[PathwayNode]) -> SafeString:
    """Substances top to bottom, each arrow labelled with the conversion into the next."""
    box_x, box_width, size = 20, 250, 15
    centre = box_x + box_width / 2
    label_x, label_width = centre + 16, 300
    body = [_el("defs", _arrow_marker(f"{figure_id}-arrow", AXIS))]
    y = 12.0
    for index, step in enumerate(steps):
        lines = _wrap(step.substance, box_width - 24, size)
        box_height = 22 + len(lines) * size * 1.3
        body.append(
            _el(
                "g",
                _el(
                    "rect",
                    x=box_x,
                    y=y,
                    width=box_width,
                    height=box_height,
                    rx=8,
                    fill="#eef4f7",
                    stroke="#3d6a80",
                    stroke_width=1.5,
                ),
                _lines(centre, y + 11 + size, lines, size, text_anchor="middle", font_weight="600"),
                class_="substance",
            )
        )
        y += box_height
        if index == len(steps) - 1:
            break
        conversion = _wrap(step.conversion, label_width, 13) if step.conversion else []
        gap = max(52.0, len(conversion) * 17 + 22)
        arrow = _el(
            "line",
            x1=centre,
            y1=y + 2,
            x2=centre,
            y2=y + gap - 3,
            stroke=AXIS,
            stroke_width=2,
            marker_end=f"url(#{figure_id}-arrow)",
        )
        label = (
            _lines(
                label_x,
                y + gap / 2 - (len(conversion) - 1) * 17 / 2 + 4,
                conversion,
                13,
                fill=MUTED,
                font_style="italic",
            )
            if conversion
            else ""
        )
        body.append(_el("g", arrow, label, class_="conversion"))
        y += gap
    last = len(steps) - 1
    desc = " → ".join(
        f"{step.substance} ({step.conversion})" if step.conversion and i < last else step.substance
        for i, step in enumerate(steps)
    )
    return _svg(
        figure_id, label_x + label_width + 10, y + 12, "pathway", title=title, desc=desc, body=body
    )


# Factor map (figure 1) ---------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Factor:
    """A line in a box of figure 1 (stress, dysbiosis, …) and the nutrients that support it."""

    name: str
    """Empty when the stage's heading names the factor."""
    nutrients: tuple[Link, ...] = ()


@dataclass(frozen=True)
class FactorGroup:
    heading: str
    """Empty for factors that stand on their own."""
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class Stage:
    """A column of figure 1: the causal factors (1), dysbiosis (2), inflammation (3) or
    the resulting complaints (no number)."""

    number: int | None
    heading: str
    groups: tuple[FactorGroup, ...]
    tone: str = "factors"
    """factors | gut | inflammation | complaints: picks the colours."""

    @property
    def single_factor(self) -> Factor | None:
        """The stage's one factor when the stage is that factor (named by the heading)."""
        factors = [factor for group in self.groups for factor in group.factors]
        if len(factors) == 1 and not factors[0].name:
            return factors[0]
        return None


STAGE_TONES = {
    "factors": ("#eef4f7", "#3d6a80"),
    "gut": ("#f5efe4", "#8a5d2c"),
    "inflammation": ("#f8ecec", "#9a4545"),
    "complaints": ("#f1eef7", "#65558a"),
}
CHIP_HEIGHT = 22
CHIP_SIZE = 12
NAME_SIZE = 13.5


def _chip_rows(links: Sequence[Link], width: float) -> list[list[tuple[Link, float]]]:
    rows: list[list[tuple[Link, float]]] = [[]]
    used = 0.0
    for link in links:
        chip = min(width, _text_width(link.label, CHIP_SIZE) + 18)
        if rows[-1] and used + chip > width:
            rows.append([])
            used = 0.0
        rows[-1].append((link, chip))
        used += chip + 6
    return [row for row in rows if row]


def _chip(link: Link, x: float, y: float, width: float) -> str:
    label = link.label
    max_chars = int((width - 14) / (CHIP_SIZE * CHAR_WIDTH))
    if len(label) > max_chars:
        label = label[: max(1, max_chars - 1)] + "…"
    shape = _el(
        "rect", x=x, y=y, width=width, height=CHIP_HEIGHT, rx=11, fill="#ffffff", stroke=CHIP_INK
    )
    text = _text(x + width / 2, y + 15, label, CHIP_SIZE, text_anchor="middle", fill=CHIP_INK)
    url = _safe_url(link.url)
    if not url:
        return _el("g", shape, text, class_="chip")
    # Out of the tab order: the table beside the figure holds the same links.
    return _el("a", shape, text, href=url, tabindex="-1", class_="chip")


def _factor_block(factor: Factor, x: float, y: float, width: float) -> tuple[list[str], float]:
    """A factor's name and its nutrient chips; returns the markup and the height used."""
    parts = []
    cursor = y
    if factor.name:
        lines = _wrap(factor.name, width, NAME_SIZE)
        parts.append(
            _lines(x, y + NAME_SIZE, lines, NAME_SIZE, font_weight="600", class_="factor-name")
        )
        cursor += len(lines) * NAME_SIZE * 1.3 + 6
    for row in _chip_rows(factor.nutrients, width):
        chip_x = x
        for link, chip_width in row:
            parts.append(_chip(link, chip_x, cursor, chip_width))
            chip_x += chip_width + 6
        cursor += CHIP_HEIGHT + 6
    return parts, cursor - y + 6


def _stage_content(stage: Stage, x: float, width: float) -> tuple[list[str], float]:
    """The stage's content drawn from y=0, and its height (the box goes behind it)."""
    pad = 14
    inner = width - 2 * pad
    badge = 32 if stage.number is not None else 0
    parts: list[str] = []
    y = 12.0
    if stage.number is not None:
        colour = STAGE_TONES[stage.tone][1]
        parts.append(_el("circle", cx=x + pad + 12, cy=y + 12, r=12, fill=colour))
        parts.append(
            _text(
                x + pad + 12,
                y + 17,
                str(stage.number),
                14,
                font_weight="700",
                text_anchor="middle",
                fill="#ffffff",
            )
        )
    if stage.heading:
        lines = _wrap(stage.heading, inner - badge, 14)
        parts.append(
            _lines(x + pad + badge, y + 17, lines, 14, font_weight="700", class_="stage-heading")
        )
        y += max(30, len(lines) * 18.2 + 12)
    elif badge:
        y += 30
    for group in stage.groups:
        if not group.heading:
            for factor in group.factors:
                block, used = _factor_block(factor, x + pad, y, inner)
                parts.extend(block)
                y += used
            continue
        inside = [
            _lines(x + pad + 10, y + 23, [group.heading], 13, fill=MUTED, font_style="italic")
        ]
        group_y = y + 34
        for factor in group.factors:
            block, used = _factor_block(factor, x + pad + 10, group_y, inner - 20)
            inside.extend(block)
            group_y += used
        frame = _el(
            "rect",
            x=x + pad,
            y=y,
            width=inner,
            height=group_y - y + 4,
            rx=6,
            fill="#ffffff",
            fill_opacity=0.7,
            stroke="#9fb4c0",
        )
        parts.extend([frame, *inside])
        y = group_y + 14
    return parts, y + 6


def factor_map(
    *,
    figure_id: str,
    title: str,
    description: str,
    stages: Sequence[Stage],
    feedback_label: str,
) -> SafeString:
    """Figure 1: the stages left to right joined by arrows, and a dotted line back from the
    last numbered stage (inflammation) to the first (the causal factors).

    The nutrient chips are links for pointer users. The drawing is hidden from assistive
    technology and its links are out of the tab order, because the page gives the same
    content as a table beside it: an image role would make the links unreachable (its
    children are presentational), and reading every label twice helps no one.
    """
    gap, margin, top = 40, 10, 10.0
    columns = []
    x = float(margin)
    for index, stage in enumerate(stages):
        width = 420 if index == 0 else 230
        parts, height = _stage_content(stage, x, width)
        columns.append((stage, x, width, parts, height))
        x += width + gap
    total_width = x - gap + margin
    column_height = max([80.0, *(column[4] for column in columns)])
    centre_y = top + column_height / 2
    feedback_y = top + column_height + 34

    body = [_el("defs", _arrow_marker(f"{figure_id}-arrow", AXIS))]
    boxes = []
    for stage, box_x, width, parts, height in columns:
        box_y = top if height >= column_height else centre_y - height / 2
        fill, stroke = STAGE_TONES[stage.tone]
        frame = _el(
            "rect",
            x=box_x,
            y=0,
            width=width,
            height=height,
            rx=10,
            fill=fill,
            stroke=stroke,
            stroke_width=1.5,
        )
        body.append(
            _el(
                "g",
                frame,
                *parts,
                class_=f"stage stage-{stage.tone}",
                transform=f"translate(0 {box_y:.1f})",
            )
        )
        boxes.append((box_x, box_y, width, height))
    for (a_x, _, a_width, _), (b_x, _, _, _) in itertools.pairwise(boxes):
        body.append(
            _el(
                "line",
                x1=a_x + a_width + 4,
                y1=centre_y,
                x2=b_x - 4,
                y2=centre_y,
                stroke=AXIS,
                stroke_width=2,
                marker_end=f"url(#{figure_id}-arrow)",
                class_="cascade-arrow",
            )
        )
    numbered = [box for stage, box in zip(stages, boxes, strict=True) if stage.number]
    if len(numbered) >= 2:
        (f_x, f_y, f_width, f_height), (l_x, l_y, l_width, l_height) = numbered[0], numbered[-1]
        start_x, end_x = l_x + l_width / 2, f_x + f_width / 2
        path = (
            f"M{start_x:.1f},{l_y + l_height + 3:.1f} V{feedback_y:.1f} "
            f"H{end_x:.1f} V{f_y + f_height + 4:.1f}"
        )
        body.append(
            _el(
                "path",
                d=path,
                fill="none",
                stroke=AXIS,
                stroke_width=1.8,
                stroke_dasharray="5 5",
                marker_end=f"url(#{figure_id}-arrow)",
                class_="feedback",
            )
        )
        body.append(
            _text(
                (start_x + end_x) / 2,
                feedback_y + 18,
                feedback_label,
                12.5,
                text_anchor="middle",
                fill=MUTED,
                font_style="italic",
            )
        )
    return _svg(
        figure_id,
        total_width,
        feedback_y + 30,
        "factors",
        title=title,
        desc=description,
        body=body,
        labelled=False,
    )
