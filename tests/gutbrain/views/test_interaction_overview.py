"""`gutbrain:interaction-overview`: the whole table by nutrient, and the medicine classes."""

import pytest
from django.urls import reverse

from gutbrain.models import Interaction, Level
from tests.factories import (
    InteractionFactory,
    MedicineClassFactory,
    MedicineFactory,
    NutrientFactory,
)

URL = reverse("gutbrain:interaction-overview")
EN = {"accept-language": "en"}
pytestmark = pytest.mark.django_db


def section(html: str, slug: str) -> str:
    """The rows of one nutrient."""
    start = html.index(f'<tbody id="nutrient-{slug}"')
    return html[start : html.index("</tbody>", start)]


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_lists_every_published_nutrient_with_its_rows(staff_client):
    sedatives = MedicineClassFactory(slug="sedatives", name_en="Sedatives", atc_prefixes="N05")
    gaba = NutrientFactory(slug="gaba", name_en="GABA", figure_number=9)
    InteractionFactory(nutrient=gaba, medicine_class=sedatives, advice_en="Monitor sedatives.")
    InteractionFactory(
        nutrient=gaba,
        target=Interaction.Target.PREGNANCY,
        medicine_class=None,
        level=Level.AVOID,
        advice_en="Advised against in pregnancy.",
    )
    NutrientFactory(slug="draft", name_en="Draft", is_published=False)

    html = staff_client.get(URL, headers=EN).content.decode()

    rows = section(html, "gaba")
    assert 'rowspan="2"' in rows
    assert "Sedatives" in rows and "<code>N05</code>" in rows
    assert "level-monitor" in rows and "Monitor sedatives." in rows
    assert "level-avoid" in rows and "Advised against in pregnancy." in rows
    assert "Draft" not in html


def test_a_nutrient_without_rows_is_shown_as_nothing_recorded(staff_client):
    NutrientFactory(slug="zinc", name_en="Zinc", figure_number=2)
    prebiotics = NutrientFactory(slug="prebiotics", name_en="Prebiotics", figure_number=14)
    InteractionFactory(
        nutrient=prebiotics,
        target=Interaction.Target.ANY_MEDICINE,
        medicine_class=None,
        level=Level.NONE_KNOWN,
    )

    html = staff_client.get(URL, headers=EN).content.decode()

    zinc = section(html, "zinc")
    assert "Nothing recorded on interactions — this does not mean it is safe." in zinc
    assert "level-no-data" in zinc
    prebiotics_rows = section(html, "prebiotics")
    assert "level-none-known" in prebiotics_rows and "(source statement)" in prebiotics_rows
    assert "level-no-data" not in prebiotics_rows


def test_it_nests_the_medicine_classes_with_the_medicines_that_fall_in_each(staff_client):
    sedatives = MedicineClassFactory(slug="sedatives", name_en="Sedatives", atc_prefixes="N05")
    MedicineClassFactory(
        slug="benzodiazepines",
        name_en="Benzodiazepines",
        atc_prefixes="N05BA, N05CD",
        parent=sedatives,
    )
    MedicineClassFactory(slug="mao", name_en="MAO inhibitors", atc_prefixes="N06AF")
    MedicineFactory(name="oxazepam", atc_code="N05BA04")
    MedicineFactory(name="haloperidol", atc_code="N05AD01")

    response = staff_client.get(URL, headers=EN)

    tree = response.context["class_tree"]
    assert [node.medicine_class.slug for node in tree] == ["mao", "sedatives"]
    mao, sedatives_node = tree
    assert mao.medicines == []
    assert [m.name for m in sedatives_node.medicines] == ["haloperidol", "oxazepam"]
    (benzodiazepines,) = sedatives_node.children
    assert [m.name for m in benzodiazepines.medicines] == ["oxazepam"]
    html = response.content.decode()
    nested = html[html.index("<strong>Sedatives</strong>") :]
    assert '<ul class="class-tree">' in nested
    assert nested.index("<strong>Benzodiazepines</strong>") < nested.index("</li>")
    assert "oxazepam (<code>N05BA04</code>)" in html


@pytest.mark.parametrize("nutrients", [2, 6])
def test_its_query_count_does_not_grow_with_the_nutrients(
    staff_client, django_assert_num_queries, nutrients
):
    parent = MedicineClassFactory(slug="sedatives", atc_prefixes="N05")
    for n in range(nutrients):
        nutrient = NutrientFactory(slug=f"n-{n}", figure_number=n + 1)
        child = MedicineClassFactory(slug=f"class-{n}", atc_prefixes="N05BA", parent=parent)
        InteractionFactory(nutrient=nutrient, medicine_class=child)
        InteractionFactory(nutrient=nutrient, medicine_class=parent)
        MedicineFactory(name=f"medicine {n}", atc_code=f"N05BA{n:02d}")

    # 1 session, 2 user, 3 nutrients, 4 interactions with their class,
    # 5 the interactions' references, 6 medicine classes, 7 medicines,
    # 8 the classes' nested prefixes (table.load_medicine_classes), 9 the user's roles (menu)
    with django_assert_num_queries(9):
        response = staff_client.get(URL)

    assert len(response.context["rows"]) == nutrients


def test_a_class_shows_the_editors_additions_marked_with_their_reason(staff_client):
    sedatives = MedicineClassFactory(
        slug="sedatives",
        name_nl="Kalmeringsmiddelen",
        atc_prefixes="N05",
        editor_prefixes="N03AA, R06AD02",
        editor_note_nl="Promethazine (R06AD02) wordt als kalmeringsmiddel gebruikt.",
        editor_note_en="Promethazine (R06AD02) is used as a sedative.",
    )
    MedicineFactory(name="promethazine", atc_code="R06AD02")

    response = staff_client.get(URL)

    [node] = response.context["class_tree"]
    assert node.medicine_class == sedatives
    assert [m.name for m in node.medicines] == ["promethazine"]
    html = response.content.decode()
    tree = html[html.index('<ul class="class-tree">') :]
    assert "<strong>Aanvulling redactie</strong>" in tree
    assert "ATC <code>N03AA</code>, <code>R06AD02</code></span>:" in tree
    assert "Promethazine (R06AD02) wordt als kalmeringsmiddel gebruikt." in tree
    assert "Prefixen met ‘aanvulling redactie’" in html


def test_a_class_without_additions_shows_the_brochures_prefixes_only(staff_client):
    MedicineClassFactory(slug="thyroid-hormones", name_en="Thyroid hormones", atc_prefixes="H03A")

    html = staff_client.get(URL, headers=EN).content.decode()

    tree = html[html.index('<ul class="class-tree">') :]
    assert "ATC <code>H03A</code>" in tree
    assert "editor-addition" not in tree
