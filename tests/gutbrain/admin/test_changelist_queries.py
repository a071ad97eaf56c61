"""The Nutrient and Interaction changelists cost a fixed number of queries, however many
rows they show."""

import pytest

from tests import factories
from tests.gutbrain.admin.browser import admin_url


@pytest.mark.parametrize("rows", [2, 6])
def test_the_nutrient_changelist_costs_seven_queries(
    curator_client, django_assert_num_queries, rows
):
    for nutrient in factories.NutrientFactory.create_batch(rows):
        factories.InteractionFactory(nutrient=nutrient)
    url = admin_url("nutrient", "changelist")

    # 1 session, 2 user, 3-4 the curator's permissions (own, through groups),
    # 5 count of the nutrients found, 6 count of all nutrients,
    # 7 the page of nutrients with their interaction rows counted
    with django_assert_num_queries(7):
        response = curator_client.get(url, {"q": "nutrient", "kind__exact": "herb"})

    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", [2, 6])
def test_the_interaction_changelist_costs_nine_queries(
    curator_client, django_assert_num_queries, rows
):
    factories.InteractionFactory.create_batch(rows)
    url = admin_url("interaction", "changelist")

    # 1 session, 2 user, 3-4 the curator's permissions (own, through groups),
    # 5 nutrients and 6 medicine classes for their filters,
    # 7 count of the interactions found, 8 count of all interactions,
    # 9 the page of interactions with their nutrient and medicine class
    with django_assert_num_queries(9):
        response = curator_client.get(url, {"q": "nutrient", "level__exact": "monitor"})

    assert len(response.context["cl"].result_list) == rows
