"""The printed protocol's colours for the quiet levels: only the words may reassure.

The protocol document is laid out by WeasyPrint with the stylesheet `render_protocol_pdf`
hands it, and the colours are read from WeasyPrint's own computed styles of the laid-out
boxes: the cascade that paints the PDF, not a reading of the CSS by hand.
"""

import colorsys

import pytest
import weasyprint
from django.contrib.staticfiles import finders
from django.utils.translation import override
from tinycss2.color4 import Color

from practice.pdf import STYLESHEET, render_protocol_html
from tests.practice.handout_snapshot import make_handout_snapshot
from tests.practice.test_pdf import finding, line

QUIET_LEVELS = ["clear", "none_known"]


def is_green(rgb: tuple[float, float, float]) -> bool:
    """A green hue (about 90° to 170°) with some saturation."""
    hue, _lightness, saturation = colorsys.rgb_to_hls(*rgb)
    return 90 <= hue * 360 <= 170 and saturation > 0.2


def snapshot_with_a_clear_result() -> dict:
    """The test handout (saffron and probiotics `none_known`, zinc `no_data`), with bacopa
    `clear`."""
    snapshot = make_handout_snapshot()
    snapshot["nutrients"]["bacopa"] = {"name_nl": "Bacopa", "name_en": "Bacopa", "food_sources": []}
    snapshot["lines"].append(line("bacopa", "Bacopa", "Bacopa", "300"))
    snapshot["check"]["results"].append({"nutrient": "bacopa", "level": "clear", "findings": []})
    # Zinc's `no_data`, as the check says it for a pregnant client.
    snapshot["consult"]["pregnant"] = True
    [zinc] = [r for r in snapshot["check"]["results"] if r["nutrient"] == "zinc"]
    zinc["findings"] = [finding("no_data", "pregnancy", "De bron vermeldt niets.")]
    return snapshot


def rgb(style, name: str) -> tuple[float, float, float]:
    value = style[name]
    if value == "currentcolor":
        value = style["color"]
    assert isinstance(value, Color), f"{name} is {value!r}"
    return tuple(value.to("srgb").coordinates)


def classes(box) -> list[str]:
    return (box.element.get("class") or "").split() if box.element is not None else []


@pytest.fixture(scope="module")
def document():
    with override("nl"):
        html = render_protocol_html(snapshot_with_a_clear_result(), for_pdf=True)
    return weasyprint.HTML(string=html).render(
        stylesheets=[weasyprint.CSS(filename=finders.find(STYLESHEET))]
    )


@pytest.fixture(scope="module")
def warnings(document) -> dict[str, dict[str, object]]:
    """Per level of a supplement in the client's table: the computed colours of the bar
    beside its notes and of its level's badge."""
    found: dict[str, dict[str, object]] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            if "supplement" not in classes(box) or box.element_tag != "tbody":
                continue
            level = next(c.removeprefix("level-") for c in classes(box) if c.startswith("level-"))
            rows = [b for b in box.descendants() if "notes-row" in classes(b)]
            cells = [c for row in rows for c in row.children if c.element_tag == "td"]
            badges = [b for b in box.descendants() if classes(b) == ["level"]]
            colours = {"text": rgb(box.style, "color")}
            if cells:
                colours["bar"] = rgb(cells[0].style, "border_left_color")
                colours["bar_style"] = cells[0].style["border_left_style"]
            if badges:
                colours["badge_text"] = rgb(badges[0].style, "color")
                colours["badge_border"] = rgb(badges[0].style, "border_top_color")
            found.setdefault(level, colours)
    return found


def test_is_green_knows_the_green_the_quiet_levels_used_to_be_printed_in():
    assert is_green((0x2E / 255, 0x6B / 255, 0x3A / 255))
    assert not is_green((0x57 / 255, 0x5D / 255, 0x63 / 255))  # grey
    assert not is_green((0x1F / 255, 0x5F / 255, 0x7A / 255))  # the accent blue


def test_the_document_has_a_warning_for_each_quiet_level(warnings):
    assert set(QUIET_LEVELS) <= set(warnings)


@pytest.mark.parametrize("level", QUIET_LEVELS)
def test_a_quiet_level_is_printed_without_green(warnings, level):
    colours = {name: value for name, value in warnings[level].items() if name != "bar_style"}
    green = [name for name, value in colours.items() if is_green(value)]
    assert not green, f"{level} is printed green in: {green}"


def test_clear_prints_no_verdict_and_none_known_a_grey_double_bar(warnings):
    # `clear` says nothing a client can act on: no badge, no bar.
    assert set(warnings["clear"]) == {"text"}
    assert warnings["none_known"]["bar_style"] == "double"
    assert not is_green(warnings["none_known"]["bar"])


def is_amber(rgb: tuple[float, float, float]) -> bool:
    hue, _lightness, saturation = colorsys.rgb_to_hls(*rgb)
    return 25 <= hue * 360 <= 50 and saturation > 0.2


def test_nothing_recorded_is_not_printed_like_the_quiet_levels(warnings):
    quiet_bars = {warnings[level].get("bar") for level in QUIET_LEVELS}
    assert warnings["no_data"]["bar"] not in quiet_bars


def test_nothing_recorded_is_printed_amber_as_on_the_pages(warnings):
    no_data = warnings["no_data"]
    assert is_amber(no_data["bar"]) and is_amber(no_data["badge_text"])
    assert no_data["bar_style"] == "dashed"  # apart from `monitor`'s solid ochre
