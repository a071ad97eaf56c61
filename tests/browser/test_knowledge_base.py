"""The knowledge base's pages in the browser, with the real source content loaded: a
practitioner finds their way through them, and each page passes the accessibility scan."""

import colorsys
import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from gutbrain.models import Level, Nutrient
from tests.browser.conftest import assert_accessible, level_label, nl, sign_in

MAGNESIUM_FORMS = ["Citraat", "Bisglycinaat", "Pidolaat", "Tauraat"]
MAGNESIUM_ADVICE = "Gebruik magnesium 2 uur vóór of 4 uur na inname van medicijnen."
TRYPTOPHAN_MAO_ADVICE = (
    "Het gebruik van tryptofaan in combinatie met monoamineoxidaseremmers "
    "(MAO-remmers) wordt afgeraden."
)
NOTHING_RECORDED = "Nothing recorded on interactions — this does not mean it is safe."


@pytest.fixture
def practitioner_page(page: Page, knowledge_base, practitioner) -> Page:
    sign_in(page, practitioner)
    return page


def dutch_nutrient_names() -> list[str]:
    return list(Nutrient.objects.published().values_list("name_nl", flat=True))


def is_green(css_colour: str) -> bool:
    """Whether a computed `rgb(…)`/`rgba(…)` colour reads as green: a green hue with some
    saturation."""
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", css_colour)[:3])
    hue, _lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    return 75 <= hue * 360 <= 165 and saturation > 0.1


def test_is_green_tells_the_clear_badge_from_the_no_data_badge():
    assert is_green("rgb(227, 244, 232)")  # .level-clear
    assert not is_green("rgb(246, 239, 226)")  # .level-no-data
    assert not is_green("rgb(238, 238, 238)")  # grey


def test_a_practitioner_opens_the_nutrient_list_and_magnesium(practitioner_page: Page):
    page = practitioner_page
    page.get_by_role("navigation", name=nl("Main")).get_by_role(
        "link", name=nl("Knowledge base")
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Nutrients"))
    table = page.get_by_role("table", name=nl("Nutrients in the order of figure 1"))
    expect(table.get_by_role("rowheader")).to_have_text(dutch_nutrient_names())
    assert_accessible(page)

    table.get_by_role("link", name="Magnesium", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Magnesium")
    forms = page.get_by_role(
        "table", name=nl("Forms of %(name)s and their application") % {"name": "Magnesium"}
    )
    expect(forms.get_by_role("rowheader")).to_have_text(MAGNESIUM_FORMS)
    interactions = page.get_by_role(
        "table", name=nl("Interactions of %(name)s") % {"name": "Magnesium"}
    )
    advice = interactions.get_by_role("row").filter(has_text=MAGNESIUM_ADVICE)
    expect(advice.locator(".level")).to_have_text(level_label(Level.SEPARATE_INTAKE))
    assert_accessible(page)


def test_zinc_warns_that_nothing_is_recorded_and_is_not_shown_green(practitioner_page: Page):
    page = practitioner_page
    page.goto("/kennisbank/")
    page.get_by_role("link", name="Zink", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Zink")
    warning = page.get_by_role("note")
    expect(warning).to_contain_text(nl(NOTHING_RECORDED))
    level = warning.locator(".level")
    expect(level).to_have_text(level_label(Level.NO_DATA))
    background = level.evaluate("element => getComputedStyle(element).backgroundColor")
    # A transparent badge would mean the stylesheet did not load: then the colour says
    # nothing either way.
    assert background.startswith("rgb("), f"the badge is not styled: {background}"
    assert not is_green(background), f"'nothing recorded' is shown green: {background}"
    assert_accessible(page)


def test_the_factor_map_draws_all_sixteen_nutrients(practitioner_page: Page):
    page = practitioner_page
    page.goto("/kennisbank/")
    page.get_by_role("navigation", name=nl("Knowledge base sections")).get_by_role(
        "link", name=nl("Factor map")
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Factor map"))
    figure = page.locator("svg#factor-map")
    expect(figure).to_be_visible()
    chips = figure.locator("a.chip")
    expect(chips.first).to_be_visible()
    names = dutch_nutrient_names()
    assert len(names) == 16
    assert set(chips.all_text_contents()) == set(names)
    assert_accessible(page)


def test_the_interaction_overview_shows_the_statements_and_the_gaps(practitioner_page: Page):
    page = practitioner_page
    page.goto("/kennisbank/")
    page.get_by_role("navigation", name=nl("Knowledge base sections")).get_by_role(
        "link", name=nl("Interactions")
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Interaction overview"))
    table = page.get_by_role("table", name=nl("Interactions and contra-indications by nutrient"))
    expect(table.locator("tbody")).to_have_count(16)
    mao = (
        table.locator("#nutrient-tryptophan")
        .get_by_role("row")
        .filter(has_text=TRYPTOPHAN_MAO_ADVICE)
    )
    expect(mao.locator(".level")).to_have_text(level_label(Level.AVOID))
    expect(table.locator("#nutrient-zinc")).to_contain_text(nl(NOTHING_RECORDED))
    assert_accessible(page)


def test_a_topic_shows_its_pathway_as_a_labelled_drawing(practitioner_page: Page):
    page = practitioner_page
    page.goto("/kennisbank/")
    page.get_by_role("navigation", name=nl("Knowledge base sections")).get_by_role(
        "link", name=nl("Topics")
    ).click()
    page.get_by_role("link", name="Serotonine", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Serotonine")
    steps = ["Tryptofaan", "Serotonine", "N-acetylserotonine", "Melatonine"]
    drawing = page.get_by_role("img", name=" → ".join(steps))
    expect(drawing).to_be_visible()
    expect(drawing.locator(".substance")).to_have_text(steps)
    assert_accessible(page)


def test_switching_to_english_shows_the_pages_in_english(practitioner_page: Page):
    page = practitioner_page
    page.goto("/kennisbank/nutrienten/zinc/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    english = translation.get_language_info("en")["name_local"]
    page.get_by_role("button", name=english).click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zinc")
    expect(page.get_by_role("note")).to_contain_text(NOTHING_RECORDED)
    expect(page.get_by_role("main")).to_contain_text("The brochure says nothing further")
    assert "/kennisbank/nutrienten/zinc/" in page.url
    assert_accessible(page)

    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Nutrients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nutrients")
    expect(page.get_by_role("link", name="Lemon balm", exact=True)).to_be_visible()
