"""Every page with the real knowledge base (fixtures/knowledge_base.json)."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from gutbrain.models import Nutrient, Topic

SVG = "{http://www.w3.org/2000/svg}"
pytestmark = pytest.mark.usefixtures("knowledge_base")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_renders(staff_client, language):
    urls = [
        reverse("gutbrain:nutrient-list"),
        reverse("gutbrain:factor-map"),
        reverse("gutbrain:interaction-overview"),
        reverse("gutbrain:topic-list"),
        *(n.get_absolute_url() for n in Nutrient.objects.published()),
        *(t.get_absolute_url() for t in Topic.objects.filter(is_published=True)),
    ]
    assert len(urls) >= 4 + 16

    for url in urls:
        response = staff_client.get(url, headers={"accept-language": language})
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        start = 0
        while (start := html.find("<svg", start)) != -1:  # every figure is well-formed
            end = html.index("</svg>", start) + len("</svg>")
            ET.fromstring(html[start:end])
            start = end


def test_the_nutrient_list_has_all_sixteen_in_figure_order(staff_client):
    rows = staff_client.get(reverse("gutbrain:nutrient-list")).context["rows"]

    assert [row.nutrient.figure_number for row in rows] == list(range(1, 17))


def test_the_factor_map_links_all_sixteen_nutrients(staff_client):
    html = staff_client.get(reverse("gutbrain:factor-map")).content.decode()

    start = html.index("<svg")
    figure = ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])
    linked = {a.get("href") for a in figure.iter(f"{SVG}a")}
    expected = {n.get_absolute_url() for n in Nutrient.objects.published()}
    assert len(expected) == 16
    assert linked == expected
    table = html[html.index("<table") :]
    assert all(f'href="{url}"' in table for url in expected)


def test_the_overview_shows_zinc_and_melatonin_as_nothing_recorded(staff_client):
    response = staff_client.get(reverse("gutbrain:interaction-overview"))

    without_rows = {nutrient.slug for nutrient, rows in response.context["rows"] if not rows}
    assert without_rows == {"zinc", "melatonin"}
    html = response.content.decode()
    for slug in without_rows:
        start = html.index(f'<tbody id="nutrient-{slug}"')
        assert "level-no-data" in html[start : html.index("</tbody>", start)]


def test_magnesium_shows_table_1_and_ashwagandha_its_trial_chart(staff_client):
    magnesium = staff_client.get(reverse("gutbrain:nutrient-detail", args=["magnesium"]))
    assert len(magnesium.context["nutrient"].forms.all()) == 4

    html = staff_client.get(reverse("gutbrain:nutrient-detail", args=["ashwagandha"])).content
    assert b'class="figure figure-bars"' in html
