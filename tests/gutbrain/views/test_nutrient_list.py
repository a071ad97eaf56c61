"""`gutbrain:nutrient-list`: the nutrients in figure-1 order, filtered and searched."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from gutbrain.models import IndicationSupport, Interaction, Level
from tests.factories import (
    IndicationFactory,
    InteractionFactory,
    MedicineClassFactory,
    NutrientFactory,
)

URL = reverse("gutbrain:nutrient-list")
pytestmark = pytest.mark.django_db


def row_of(html: str, name: str) -> str:
    """The table row that holds `name`."""
    return next(row for row in html.split("<tr>") if name in row)


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"


def test_any_logged_in_user_may_read_it(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 200


def test_it_lists_published_nutrients_in_figure_order(staff_client):
    NutrientFactory(slug="saffron", name_nl="Saffraan", figure_number=10)
    NutrientFactory(slug="magnesium", name_nl="Magnesium", figure_number=1)
    NutrientFactory(slug="zinc", name_nl="Zink", figure_number=2)
    NutrientFactory(slug="hidden", name_nl="Verborgen", figure_number=3, is_published=False)
    NutrientFactory(slug="extra", name_nl="Zonder nummer", figure_number=None)

    html = staff_client.get(URL).content.decode()

    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)
    assert names == ["Magnesium", "Zink", "Saffraan", "Zonder nummer"]
    assert "Verborgen" not in html


def test_it_shows_kind_dose_supported_factors_and_the_interaction_summary(staff_client):
    stress = IndicationFactory(slug="stress", name_nl="Stress", name_en="Stress")
    theanine = NutrientFactory(
        slug="theanine",
        name_nl="Theanine",
        name_en="L-theanine",
        kind="amino_acid",
        usual_dose_amount=200,
        usual_dose_unit="mg",
    )
    IndicationSupport.objects.create(indication=stress, nutrient=theanine)
    InteractionFactory(nutrient=theanine, level=Level.MONITOR)
    InteractionFactory(
        nutrient=theanine, target="pregnancy", medicine_class=None, level=Level.AVOID
    )

    html = staff_client.get(URL, headers={"accept-language": "en"}).content.decode()

    row = row_of(html, "L-theanine")
    assert "amino acid" in row
    assert "200 mg" in row
    assert "<li>Stress</li>" in row
    assert '<span class="level level-monitor">' in row
    assert '<span class="level level-avoid">' in row


def test_a_nutrient_without_rows_is_marked_nothing_recorded_never_safe(staff_client):
    NutrientFactory(slug="zinc", name_nl="Zink")

    row = row_of(staff_client.get(URL).content.decode(), "Zink")

    assert '<span class="level level-no-data">' in row
    assert "level-clear" not in row and "level-none-known" not in row


def test_it_filters_by_the_factor_a_nutrient_supports(staff_client):
    sleep = IndicationFactory(slug="sleep-problems", name_nl="Slaapproblemen")
    valerian = NutrientFactory(slug="valerian", name_nl="Valeriaan")
    IndicationSupport.objects.create(indication=sleep, nutrient=valerian)
    NutrientFactory(slug="zinc", name_nl="Zink")

    html = staff_client.get(URL, {"indication": "sleep-problems"}).content.decode()

    assert "Valeriaan" in html and "Zink" not in html
    assert '<option value="sleep-problems" selected>Slaapproblemen</option>' in html


def test_it_filters_by_kind(staff_client):
    NutrientFactory(slug="zinc", name_nl="Zink", kind="mineral")
    NutrientFactory(slug="valerian", name_nl="Valeriaan", kind="herb")

    html = staff_client.get(URL, {"kind": "mineral"}).content.decode()

    assert "Zink" in html and "Valeriaan" not in html


@pytest.mark.parametrize("query", ["citroen", "LEMON"])
def test_it_searches_the_dutch_and_the_english_name(staff_client, query):
    NutrientFactory(slug="lemon-balm", name_nl="Citroenmelisse", name_en="Lemon balm")
    NutrientFactory(slug="zinc", name_nl="Zink", name_en="Zinc")

    html = staff_client.get(URL, {"q": query}).content.decode()

    assert "Citroenmelisse" in html and "Zink" not in html


def test_an_unknown_filter_value_is_reported_and_ignored(staff_client):
    NutrientFactory(slug="zinc", name_nl="Zink", name_en="Zinc")

    response = staff_client.get(URL, {"kind": "potion"}, headers={"accept-language": "en"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Zinc" in html
    assert response.context["form"].errors["kind"]
    assert 'aria-describedby="id_kind_error"' in html and 'id="id_kind_error"' in html


def test_it_speaks_english_when_the_browser_asks_for_it(staff_client):
    NutrientFactory(slug="lemon-balm", name_nl="Citroenmelisse", name_en="Lemon balm")

    html = staff_client.get(URL, headers={"accept-language": "en"}).content.decode()

    assert '<html lang="en">' in html
    assert "Lemon balm" in html and "Citroenmelisse" not in html


def test_it_follows_the_language_cookie(staff_client):
    NutrientFactory(slug="lemon-balm", name_nl="Citroenmelisse", name_en="Lemon balm")

    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = staff_client.get(URL, headers={"accept-language": "nl"}).content.decode()

    assert '<html lang="en">' in html and "Lemon balm" in html


def test_it_speaks_dutch_by_default(staff_client):
    NutrientFactory(slug="lemon-balm", name_nl="Citroenmelisse", name_en="Lemon balm")

    html = staff_client.get(URL).content.decode()

    assert '<html lang="nl">' in html and "Citroenmelisse" in html


@pytest.mark.parametrize("nutrients", [2, 6])
def test_its_query_count_does_not_grow_with_the_nutrients(
    staff_client, django_assert_num_queries, nutrients
):
    sedatives = MedicineClassFactory(slug="sedatives")
    for n in range(nutrients):
        nutrient = NutrientFactory(slug=f"n-{n}", figure_number=n + 1)
        for f in range(2):
            IndicationSupport.objects.create(
                indication=IndicationFactory(slug=f"factor-{f}"), nutrient=nutrient
            )
        InteractionFactory(nutrient=nutrient, medicine_class=sedatives)
        InteractionFactory(
            nutrient=nutrient,
            target=Interaction.Target.PREGNANCY,
            medicine_class=None,
            level=Level.AVOID,
        )

    # 1 session, 2 user, 3 factors for the filter, 4 nutrients,
    # 5 their supports with the factor, 6 their interaction levels, 7 the user's roles (menu)
    with django_assert_num_queries(7):
        response = staff_client.get(URL, {"indication": "factor-0"})

    assert len(response.context["rows"]) == nutrients


def test_a_dose_from_research_is_labelled_so_never_as_a_usual_dose(staff_client):
    NutrientFactory(
        slug="saffron",
        name_en="Saffron",
        usual_dose_amount=30,
        usual_dose_unit="mg",
        usual_dose_en="30 mg a day",
        dose_basis="study",
    )
    NutrientFactory(
        slug="magnesium",
        name_en="Magnesium",
        usual_dose_amount=300,
        usual_dose_unit="mg",
        dose_basis="usual",
    )

    html = staff_client.get(URL, headers={"accept-language": "en"}).content.decode()

    assert '<th scope="col">Dose</th>' in html
    assert '30 mg a day <span class="muted">(dose used in research)</span>' in row_of(
        html, "Saffron"
    )
    assert '300 mg <span class="muted">(usual dose)</span>' in row_of(html, "Magnesium")
