"""The printed protocol's colours for the quiet levels: only the words may reassure.

The protocol document is laid out by WeasyPrint with the stylesheet `render_protocol_pdf`
hands it, and the colours are read from WeasyPrint's own computed styles of the laid-out
boxes: the cascade that paints the PDF, not a reading of the CSS by hand.
"""

import colorsys
import copy

import pytest
import weasyprint
from django.contrib.staticfiles import finders
from django.utils.translation import override
from tinycss2.color4 import Color

from practice.pdf import STYLESHEET, render_protocol_html
from tests.practice.test_pdf import make_snapshot

QUIET_LEVELS = ["clear", "none_known"]


def is_green(rgb: tuple[float, float, float]) -> bool:
    """A green hue (about 90° to 170°) with some saturation."""
    hue, _lightness, saturation = colorsys.rgb_to_hls(*rgb)
    return 90 <= hue * 360 <= 170 and saturation > 0.2


def snapshot_with_a_clear_result() -> dict:
    """The test protocol (saffron and probiotics `none_known`), with bacopa `clear`."""
    snapshot = copy.deepcopy(make_snapshot())
    snapshot["nutrients"]["bacopa"] = {"name_nl": "Bacopa", "name_en": "Bacopa", "food_sources": []}
    snapshot["check"]["results"].append({"nutrient": "bacopa", "level": "clear", "findings": []})
    return snapshot


def rgb(style, name: str) -> tuple[float, float, float]:
    value = style[name]
    if value == "currentcolor":
        value = style["color"]
    assert isinstance(value, Color), f"{name} is {value!r}"
    return tuple(value.to("srgb").coordinates)


@pytest.fixture(scope="module")
def warnings() -> dict[str, dict[str, object]]:
    """Per level of the quiet warnings: the computed colours of its bar and its badge."""
    with override("nl"):
        html = render_protocol_html(snapshot_with_a_clear_result(), for_pdf=True)
    document = weasyprint.HTML(string=html).render(
        stylesheets=[weasyprint.CSS(filename=finders.find(STYLESHEET))]
    )
    found: dict[str, dict[str, object]] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            classes = (box.element.get("class") or "").split() if box.element is not None else []
            if "warning" not in classes or box.element_tag != "div":
                continue
            level = next(c.removeprefix("level-") for c in classes if c.startswith("level-"))
            badge = next(
                b
                for b in box.descendants()
                if b.element is not None and b.element.get("class") == "level"
            )
            found.setdefault(
                level,
                {
                    "bar": rgb(box.style, "border_left_color"),
                    "bar_style": box.style["border_left_style"],
                    "background": rgb(box.style, "background_color"),
                    "badge_text": rgb(badge.style, "color"),
                    "badge_border": rgb(badge.style, "border_top_color"),
                },
            )
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


def test_clear_and_none_known_are_told_apart_by_their_bar(warnings):
    assert warnings["clear"]["bar_style"] != warnings["none_known"]["bar_style"]


def is_amber(rgb: tuple[float, float, float]) -> bool:
    hue, _lightness, saturation = colorsys.rgb_to_hls(*rgb)
    return 25 <= hue * 360 <= 50 and saturation > 0.2


def test_nothing_recorded_is_not_printed_like_the_quiet_levels(warnings):
    assert warnings["no_data"]["bar"] not in {warnings[level]["bar"] for level in QUIET_LEVELS}


def test_nothing_recorded_is_printed_amber_as_on_the_pages(warnings):
    no_data = warnings["no_data"]
    assert is_amber(no_data["bar"]) and is_amber(no_data["badge_text"])
    assert no_data["bar_style"] == "dashed"  # apart from `monitor`'s solid ochre
