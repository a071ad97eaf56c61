"""The interaction levels' colours as the browser paints them: only the words may reassure.

`clear` ("no recorded interaction applies") and `none_known` ("no interactions known") are
drawn in a neutral grey, never green nor a reassuring blue, and told apart from each other
by fill and border; `no_data` stays amber. The legend says what every level means. Seen
on the interaction overview and in the consult's check panel."""

import colorsys
import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from gutbrain.models import Level, Nutrient
from gutbrain.templatetags.gutbrain_tags import level_meaning
from tests.browser.conftest import assert_accessible, level_label, nl, sign_in
from tests.factories import (
    ClientFactory,
    ClientMedicationFactory,
    ConsultFactory,
    PracticeMemberFactory,
    SupplementLineFactory,
)

# Every computed colour of a badge that could say "safe".
COLOUR_PROPERTIES = ["backgroundColor", "borderTopColor", "borderLeftColor"]


def hue_and_saturation(css_colour: str) -> tuple[float, float]:
    """The hue in degrees and the saturation (0–1) of a computed `rgb(…)` colour."""
    assert css_colour.startswith("rgb("), f"not an opaque colour: {css_colour}"
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", css_colour)[:3])
    hue, _lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    return hue * 360, saturation


def is_green(css_colour: str) -> bool:
    hue, saturation = hue_and_saturation(css_colour)
    return 90 <= hue <= 170 and saturation > 0.2


def is_amber(css_colour: str) -> bool:
    hue, saturation = hue_and_saturation(css_colour)
    return 25 <= hue <= 50 and saturation > 0.2


def is_neutral(css_colour: str) -> bool:
    """A grey (or white): too little saturation to read as any hue, blue included."""
    return hue_and_saturation(css_colour)[1] <= 0.15


def computed(badge: Locator) -> dict[str, str]:
    """The badge's computed colours, and its border style."""
    expect(badge).to_be_visible()
    return badge.evaluate(
        """badge => {
            const style = getComputedStyle(badge);
            return {
                backgroundColor: style.backgroundColor,
                borderTopColor: style.borderTopColor,
                borderLeftColor: style.borderLeftColor,
                borderTopStyle: style.borderTopStyle,
            };
        }"""
    )


def assert_quiet(badge: Locator) -> dict[str, str]:
    """`clear` and `none_known`: no green, and in fact no hue at all."""
    style = computed(badge)
    for name in COLOUR_PROPERTIES:
        assert not is_green(style[name]), f"{name} is green: {style[name]}"
        assert is_neutral(style[name]), f"{name} is not a neutral grey: {style[name]}"
    return style


def assert_amber(badge: Locator) -> None:
    style = computed(badge)
    for name in COLOUR_PROPERTIES:
        assert is_amber(style[name]), f"'nothing recorded' {name} is not amber: {style[name]}"


def assert_told_apart(clear: dict[str, str], none_known: dict[str, str]) -> None:
    assert (clear["backgroundColor"], clear["borderTopStyle"]) != (
        none_known["backgroundColor"],
        none_known["borderTopStyle"],
    )


def dutch_meaning(level: Level) -> str:
    with translation.override("nl"):
        return level_meaning(level)


def test_the_colour_tests_know_green_amber_and_grey():
    assert is_green("rgb(227, 244, 232)")  # the old `clear` badge
    assert is_green("rgb(62, 154, 92)")  # its border
    assert not is_green("rgb(239, 239, 240)") and is_neutral("rgb(239, 239, 240)")
    assert not is_neutral("rgb(227, 238, 251)")  # the old, blue `none_known` badge
    assert is_amber("rgb(246, 239, 226)") and is_amber("rgb(168, 120, 42)")


@pytest.fixture
def consult(knowledge_base, practitioner):
    """Sanne on oxazepam, with bacopa (nothing applies: `clear`), prebiotics (`none_known`
    for anyone on medicines) and zinc (`no_data`)."""
    member = PracticeMemberFactory(user=practitioner)
    client = ClientFactory(practitioner=practitioner, practice=member.practice)
    ClientMedicationFactory(client=client, atc_code="N05BA04", name="oxazepam")
    consult = ConsultFactory(client=client)
    for order, slug in enumerate(["bacopa", "prebiotics", "zinc"], start=1):
        SupplementLineFactory(
            consult=consult, nutrient=Nutrient.objects.get(slug=slug), order=order
        )
    return consult


def test_the_interaction_overview_explains_the_levels_and_paints_none_green(
    page: Page, knowledge_base, practitioner
):
    sign_in(page, practitioner, reverse("gutbrain:interaction-overview"))

    legend = page.get_by_role("region", name=nl("Levels"))
    for level in Level:
        term = legend.locator("dt").filter(has_text=level_label(level))
        expect(term.locator("xpath=following-sibling::dd[1]")).to_have_text(dutch_meaning(level))
    clear = assert_quiet(legend.locator(".level-clear"))
    none_known = assert_quiet(legend.locator(".level-none-known"))
    assert_told_apart(clear, none_known)
    assert_amber(legend.locator(".level-no-data"))

    table = page.get_by_role("table", name=nl("Interactions and contra-indications by nutrient"))
    assert_quiet(table.locator("#nutrient-prebiotics .level-none-known"))
    assert_amber(table.locator("#nutrient-zinc .level-no-data"))
    assert_accessible(page)


def test_the_check_panel_paints_clear_and_none_known_grey_and_folds_the_legend(page: Page, consult):
    sign_in(page, consult.practitioner, reverse("practice:consult-detail", args=[consult.pk]))

    panel = page.get_by_role("complementary", name=nl("Interaction check"))
    bacopa = panel.locator(".check-item").filter(has_text="Bacopa")
    prebiotics = panel.locator(".check-item").filter(has_text="Prebiotica")
    zinc = panel.locator(".check-item").filter(has_text="Zink")
    expect(bacopa.locator(".check-heading .level")).to_have_text(level_label(Level.CLEAR))
    expect(prebiotics.locator(".check-heading .level")).to_have_text(level_label(Level.NONE_KNOWN))
    clear = assert_quiet(bacopa.locator(".check-heading .level-clear"))
    none_known = assert_quiet(prebiotics.locator(".check-heading .level-none-known"))
    assert_told_apart(clear, none_known)
    assert_amber(zinc.locator(".check-heading .level-no-data"))

    meaning = panel.get_by_text(dutch_meaning(Level.CLEAR))
    expect(meaning).to_be_hidden()
    panel.get_by_text(nl("What do the levels mean?")).click()
    expect(meaning).to_be_visible()
    assert_accessible(page)
