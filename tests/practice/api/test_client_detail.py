"""GET /api/v1/clients/{id}/"""

import pytest

from tests.factories import ClientMedicationFactory


def url(client) -> str:
    return f"/api/v1/clients/{client.pk}/"


def test_it_shows_the_practitioners_client(practitioner_api, sanne):
    response = practitioner_api.get(url(sanne))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == sanne.pk
    assert body["medications"] == [{"atc_code": "N06AF03", "name": "fenelzine", "intake_times": []}]


def test_it_answers_404_for_a_colleagues_client(practitioner_api, colleagues_client):
    response = practitioner_api.get(url(colleagues_client))

    assert response.status_code == 404


def test_it_answers_404_for_a_client_that_does_not_exist(practitioner_api, db):
    assert practitioner_api.get("/api/v1/clients/999999/").status_code == 404
    assert practitioner_api.get("/api/v1/clients/abc/").status_code == 404


@pytest.mark.parametrize("user_api", ["outsider_api", "curator_api", "colleague_api"])
def test_it_answers_404_to_everyone_but_the_practitioner(request, user_api, sanne):
    api = request.getfixturevalue(user_api)

    assert api.get(url(sanne)).status_code == 404


def test_it_answers_401_to_anonymous_users(anonymous_api, sanne):
    assert anonymous_api.get(url(sanne)).status_code == 401


def test_the_number_of_queries_does_not_grow_with_the_medicines(
    practitioner_api, sanne, django_assert_num_queries
):
    # 1 the token with its user, 2 the user's tokens (knox), 3 the user's groups, 4 the client with
    # the practitioner, 5 medications, 6 own supplements with the nutrient, 7 the access log's
    # newest hash, 8 the new entry
    with django_assert_num_queries(8):
        practitioner_api.get(url(sanne))

    for code in ["N05BA04", "N05BA01", "N06AB06", "N06AB04"]:
        ClientMedicationFactory(client=sanne, atc_code=code)
    sanne.own_supplements.create(name="Visolie")
    with django_assert_num_queries(8):
        assert len(practitioner_api.get(url(sanne)).json()["medications"]) == 5
