"""`gutbrain:factor-map`: figure 1 as SVG, and the same as a table."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from gutbrain.models import Indication, IndicationSupport
from tests.factories import IndicationFactory, NutrientFactory

URL = reverse("gutbrain:factor-map")
SVG = "{http://www.w3.org/2000/svg}"
pytestmark = pytest.mark.django_db
Category = Indication.Category


def svg_of(html: str) -> ET.Element:
    start = html.index("<svg")
    return ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])


def cascade() -> dict[str, Indication]:
    return {
        "stress": IndicationFactory(
            slug="stress", name_en="Stress", category=Category.PSYCHOLOGICAL, figure_stage=1
        ),
        "diet": IndicationFactory(
            slug="western-diet",
            name_en="Western diet",
            category=Category.OTHER_FACTOR,
            figure_stage=1,
        ),
        "dysbiosis": IndicationFactory(
            slug="dysbiosis", name_en="Dysbiosis", category=Category.GUT, figure_stage=2
        ),
        "inflammation": IndicationFactory(
            slug="inflammation",
            name_en="Intestinal inflammation",
            category=Category.GUT,
            figure_stage=3,
        ),
        "fatigue": IndicationFactory(
            slug="chronic-fatigue", name_en="Chronic fatigue", category=Category.COMPLAINT
        ),
    }


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_draws_the_cascade_with_the_supporting_nutrients_as_links(staff_client):
    factors = cascade()
    magnesium = NutrientFactory(slug="magnesium", name_en="Magnesium", figure_number=1)
    glutamine = NutrientFactory(slug="glutamine", name_en="Glutamine", figure_number=16)
    IndicationSupport.objects.create(indication=factors["stress"], nutrient=magnesium)
    IndicationSupport.objects.create(indication=factors["dysbiosis"], nutrient=glutamine)

    html = staff_client.get(URL, headers={"accept-language": "en"}).content.decode()

    figure = svg_of(html)
    words = " ".join(" ".join(t.itertext()) for t in figure.iter(f"{SVG}text"))
    for word in (
        "Causal factors",
        "Psychological factors",
        "Stress",
        "Western diet",
        "Dysbiosis",
        "Intestinal inflammation",
        "Chronic fatigue",
        "Inflammation may reinforce the causal factors",
    ):
        assert word in words
    links = {a.get("href"): "".join(a.itertext()) for a in figure.iter(f"{SVG}a")}
    assert links == {
        magnesium.get_absolute_url(): "Magnesium",
        glutamine.get_absolute_url(): "Glutamine",
    }


def test_the_table_beside_it_holds_the_same_links(staff_client):
    factors = cascade()
    valerian = NutrientFactory(slug="valerian", name_en="Valerian")
    IndicationSupport.objects.create(indication=factors["stress"], nutrient=valerian)

    html = staff_client.get(URL, headers={"accept-language": "en"}).content.decode()

    table = html[html.index("<table") :]
    assert f'<a href="{valerian.get_absolute_url()}">Valerian</a>' in table
    assert "Western diet" in table and "Chronic fatigue" in table


def test_a_support_added_in_the_admin_shows_up_and_unpublished_nutrients_do_not(staff_client):
    factors = cascade()
    draft = NutrientFactory(slug="draft", name_nl="Concept", is_published=False)
    IndicationSupport.objects.create(indication=factors["stress"], nutrient=draft)
    assert "Concept" not in staff_client.get(URL).content.decode()

    saffron = NutrientFactory(slug="saffron", name_nl="Saffraan")
    IndicationSupport.objects.create(indication=factors["fatigue"], nutrient=saffron)

    assert staff_client.get(URL).content.decode().count("Saffraan") == 2  # figure and table


@pytest.mark.parametrize("nutrients", [2, 6])
def test_its_query_count_does_not_grow_with_the_nutrients(
    staff_client, django_assert_num_queries, nutrients
):
    factors = cascade()
    for n in range(nutrients):
        nutrient = NutrientFactory(slug=f"n-{n}", figure_number=n + 1)
        for indication in factors.values():
            IndicationSupport.objects.create(indication=indication, nutrient=nutrient)

    # 1 session, 2 user, 3 supports with their nutrient, 4 factors, 5 the user's roles (menu)
    with django_assert_num_queries(5):
        response = staff_client.get(URL)

    assert len(list(svg_of(response.content.decode()).iter(f"{SVG}a"))) == 5 * nutrients
