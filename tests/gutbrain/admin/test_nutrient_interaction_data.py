"""The Nutrient changelist tells which nutrients the interaction table says nothing about."""

import pytest

from gutbrain.models import Interaction, Level
from tests import factories
from tests.gutbrain.admin.browser import admin_url


@pytest.fixture
def nutrients():
    """Valerian has no rows, saffron only states none known, ashwagandha has two rows."""
    valerian = factories.NutrientFactory(slug="valerian")
    saffron = factories.NutrientFactory(slug="saffron")
    factories.InteractionFactory(
        nutrient=saffron,
        target=Interaction.Target.ANY_MEDICINE,
        medicine_class=None,
        level=Level.NONE_KNOWN,
    )
    ashwagandha = factories.NutrientFactory(slug="ashwagandha")
    factories.InteractionFactory(nutrient=ashwagandha, level=Level.AVOID)
    factories.InteractionFactory(
        nutrient=ashwagandha,
        target=Interaction.Target.PREGNANCY,
        medicine_class=None,
        level=Level.AVOID,
    )
    return {"valerian": valerian, "saffron": saffron, "ashwagandha": ashwagandha}


def _column(response) -> dict[str, str]:
    changelist = response.context["cl"]
    admin = changelist.model_admin
    return {n.slug: admin.interaction_data(n) for n in changelist.result_list}


def test_the_column_tells_no_rows_from_none_known_from_the_number_of_rows(
    curator_client, nutrients
):
    response = curator_client.get(admin_url("nutrient", "changelist"))

    assert _column(response) == {
        "valerian": "no rows (nothing recorded)",
        "saffron": "no interactions known",
        "ashwagandha": "2 rows",
    }
    html = response.content.decode()
    assert "no rows (nothing recorded)" in html
    assert "no interactions known" in html


@pytest.mark.parametrize(
    ("value", "found"),
    [("none", {"valerian"}), ("none_known", {"saffron"}), ("recorded", {"ashwagandha"})],
)
def test_the_filter_finds_nutrients_by_their_interaction_data(
    curator_client, nutrients, value, found
):
    response = curator_client.get(admin_url("nutrient", "changelist"), {"interaction_data": value})

    assert {n.slug for n in response.context["cl"].result_list} == found


def test_in_the_knowledge_base_zinc_and_melatonin_have_nothing_recorded(
    curator_client, knowledge_base
):
    url = admin_url("nutrient", "changelist")

    response = curator_client.get(url, {"interaction_data": "none"})

    assert {n.slug for n in response.context["cl"].result_list} == {"zinc", "melatonin"}
    assert _column(curator_client.get(url))["probiotics"] == "no interactions known"
