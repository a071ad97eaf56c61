"""GET /api/v1/consults/"""

import datetime

from gutbrain.models import Indication
from tests.factories import ConsultFactory

URL = "/api/v1/consults/"


def test_it_lists_the_consults_of_the_practitioners_clients_newest_first(
    practitioner_api, knowledge_base, sanne, make_consult, colleagues_client
):
    older = make_consult(sanne, "magnesium", date=datetime.date(2026, 1, 5))
    newer = make_consult(sanne, date=datetime.date(2026, 3, 9))
    ConsultFactory(client=colleagues_client)

    response = practitioner_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [c["id"] for c in body["results"]] == [newer.pk, older.pk]


def test_it_shows_the_consult_with_its_lines(practitioner_api, sannes_consult):
    sannes_consult.complaints.set(Indication.objects.filter(slug="stress"))

    [item] = practitioner_api.get(URL).json()["results"]

    assert item["client"] == sannes_consult.client_id
    assert item["complaints"] == ["stress"]
    assert item["practitioner"] == "practitioner"
    assert [(s["nutrient"], s["form"]) for s in item["supplements"]] == [
        ("magnesium", "bisglycinate"),
        ("tryptophan", None),
    ]


def test_it_filters_by_client(practitioner_api, practitioner, sanne, make_client):
    other = make_client(practitioner)
    ConsultFactory(client=sanne)
    theirs = ConsultFactory(client=other)

    body = practitioner_api.get(URL, {"client": other.pk}).json()

    assert [c["id"] for c in body["results"]] == [theirs.pk]


def test_filtering_by_a_colleagues_client_gives_an_empty_list(practitioner_api, colleagues_client):
    ConsultFactory(client=colleagues_client)

    body = practitioner_api.get(URL, {"client": colleagues_client.pk}).json()

    assert body["count"] == 0


def test_it_answers_400_naming_a_client_filter_that_is_not_a_number(practitioner_api, db):
    response = practitioner_api.get(URL, {"client": "sanne"})

    assert response.status_code == 400
    assert list(response.json()) == ["client"]


def test_a_colleague_does_not_see_the_practitioners_consults(colleague_api, sanne):
    ConsultFactory(client=sanne)

    assert colleague_api.get(URL).json()["count"] == 0


def test_users_who_are_not_practitioners_see_an_empty_list(outsider_api, curator_api, sanne):
    ConsultFactory(client=sanne)

    for api in (outsider_api, curator_api):
        response = api.get(URL)
        assert response.status_code == 200
        assert response.json()["count"] == 0


def test_it_answers_401_to_anonymous_users(anonymous_api, db):
    assert anonymous_api.get(URL).status_code == 401


def test_the_number_of_queries_does_not_grow_with_the_consults(
    practitioner_api, knowledge_base, sanne, make_consult, django_assert_num_queries
):
    complaints = list(Indication.objects.filter(slug__in=["stress", "sleep-problems"]))

    def add_consults(count: int) -> None:
        for _ in range(count):
            consult = make_consult(sanne, "magnesium", "tryptophan", "saffron")
            consult.complaints.set(complaints)

    add_consults(2)
    # 1 the token with its user, 2 the user's tokens (knox), 3 the user's groups, 4 count, 5 the
    # page of consults with their practitioner, 6 their complaints, 7 their lines with nutrient and
    # form
    with django_assert_num_queries(7):
        assert len(practitioner_api.get(URL).json()["results"]) == 2

    add_consults(8)
    with django_assert_num_queries(7):
        assert len(practitioner_api.get(URL).json()["results"]) == 10
