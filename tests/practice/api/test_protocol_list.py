"""GET /api/v1/protocols/ (and the methods it refuses)."""

import pytest

from practice.models import Protocol

URL = "/api/v1/protocols/"


def test_it_lists_the_protocols_of_the_practitioners_clients(
    practitioner_api, protocol, sannes_consult
):
    response = practitioner_api.get(URL)

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["id"] == protocol.pk
    assert item["consult"] == sannes_consult.pk
    assert item["version"] == 1
    assert item["worst_level"] == "avoid"
    assert item["url"] == f"http://testserver/api/v1/protocols/{protocol.pk}/"
    assert item["pdf_url"] == f"http://testserver/api/v1/protocols/{protocol.pk}/pdf/"
    assert "snapshot" not in item


def test_it_filters_by_consult(practitioner_api, protocol, sanne, make_consult, reissue):
    other = make_consult(sanne, "magnesium")
    [theirs] = reissue(other, 1)

    body = practitioner_api.get(URL, {"consult": other.pk}).json()

    assert [p["id"] for p in body["results"]] == [theirs.pk]


def test_it_answers_400_naming_a_consult_filter_that_is_not_a_number(practitioner_api, db):
    response = practitioner_api.get(URL, {"consult": "first"})

    assert response.status_code == 400
    assert list(response.json()) == ["consult"]


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_everyone_but_the_practitioner_sees_an_empty_list(request, user_api, protocol):
    response = request.getfixturevalue(user_api).get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_it_answers_401_to_anonymous_users(anonymous_api, db):
    assert anonymous_api.get(URL).status_code == 401


def test_protocols_are_not_created_here(practitioner_api, sannes_consult):
    response = practitioner_api.post(URL, {"consult": sannes_consult.pk})

    assert response.status_code == 405
    assert not Protocol.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_protocols(
    practitioner_api, sannes_consult, protocol, reissue, django_assert_num_queries
):
    reissue(sannes_consult, 1)
    # 1 the token with its user, 2 the user's tokens (knox), 3 the user's groups, 4 count, 5 the
    # page of protocols with who issued them
    with django_assert_num_queries(5):
        assert len(practitioner_api.get(URL).json()["results"]) == 2

    reissue(sannes_consult, 8)
    with django_assert_num_queries(5):
        assert len(practitioner_api.get(URL).json()["results"]) == 10
