from gutbrain import models as kb


def test_it_shows_a_row_of_the_table(practitioner_api, ashwagandha):
    row = kb.Interaction.objects.get(nutrient=ashwagandha, target="pregnancy")

    response = practitioner_api.get(f"/api/v1/interactions/{row.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["nutrient"] == "ashwagandha"
    assert body["target"] == "pregnancy"
    assert body["medicine_class"] is None
    assert body["level"] == "avoid"
    assert body["references"] == [7]


def test_it_answers_404_for_a_row_of_an_unpublished_nutrient(practitioner_api, unpublished):
    row = kb.Interaction.objects.get(nutrient=unpublished)

    assert practitioner_api.get(f"/api/v1/interactions/{row.pk}/").status_code == 404


def test_it_shows_a_row_in_a_fixed_number_of_queries(
    practitioner_api, ashwagandha, django_assert_num_queries
):
    row = kb.Interaction.objects.get(nutrient=ashwagandha, target="medicine_class")

    # 1: the token with its user, 2: the user's tokens (knox), 3: the row with its nutrient and
    # class, 4: its references
    with django_assert_num_queries(4):
        response = practitioner_api.get(f"/api/v1/interactions/{row.pk}/")

    assert response.status_code == 200
