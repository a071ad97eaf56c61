"""GET /api/v1/clients/"""

from practice.views import clients
from tests.factories import ClientMedicationFactory

URL = "/api/v1/clients/"


def test_it_lists_the_practitioners_own_clients_by_last_name(
    practitioner_api, practitioner, make_client, colleagues_client
):
    make_client(practitioner, first_name="Sanne", last_name="Mulder")
    make_client(practitioner, first_name="Piet", last_name="Boer")

    response = practitioner_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [c["last_name"] for c in body["results"]] == ["Boer", "Mulder"]


def test_it_shows_the_client_with_medicines_and_own_supplements(practitioner_api, sanne):
    sanne.own_supplements.create(name="Visolie", dose="1 capsule")

    [item] = practitioner_api.get(URL).json()["results"]

    assert item == {
        "id": sanne.pk,
        "client_number": "00007",
        "first_name": "Sanne",
        "last_name": "Mulder",
        "date_of_birth": "1985-03-14",
        "email": "",
        "phone": "",
        "address": "",
        "notes": "",
        "practitioner": "practitioner",
        "medications": [{"atc_code": "N06AF03", "name": "fenelzine", "intake_times": []}],
        "own_supplements": [{"name": "Visolie", "nutrient": None, "dose": "1 capsule"}],
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
    }


def test_it_searches_by_name_and_client_number(practitioner_api, practitioner, make_client):
    make_client(practitioner, first_name="Sanne", last_name="Mulder", client_number="00012")
    make_client(practitioner, first_name="Piet", last_name="de Boer", client_number="00034")

    by_name = practitioner_api.get(URL, {"search": "sanne mulder"}).json()
    by_number = practitioner_api.get(URL, {"search": "00034"}).json()

    assert [c["first_name"] for c in by_name["results"]] == ["Sanne"]
    assert [c["first_name"] for c in by_number["results"]] == ["Piet"]


def test_it_orders_by_the_field_asked_for(practitioner_api, practitioner, make_client):
    make_client(practitioner, last_name="Aarts", client_number="00002")
    make_client(practitioner, last_name="Zwart", client_number="00001")

    body = practitioner_api.get(URL, {"ordering": "client_number"}).json()
    descending = practitioner_api.get(URL, {"ordering": "-last_name"}).json()

    assert [c["last_name"] for c in body["results"]] == ["Zwart", "Aarts"]
    assert [c["last_name"] for c in descending["results"]] == ["Zwart", "Aarts"]


def test_a_colleague_does_not_see_the_practitioners_clients(colleague_api, sanne):
    assert colleague_api.get(URL).json()["count"] == 0


def test_users_who_are_not_practitioners_see_an_empty_list(outsider_api, curator_api, sanne):
    for api in (outsider_api, curator_api):
        response = api.get(URL)
        assert response.status_code == 200
        assert response.json()["count"] == 0


def test_an_admin_sees_every_client(admin_client, sanne, colleagues_client):
    # admin_client is pytest-django's logged-in superuser (session authentication).
    assert admin_client.get(URL).json()["count"] == 2


def test_it_answers_401_to_anonymous_users(anonymous_api, sanne):
    response = anonymous_api.get(URL)

    assert response.status_code == 401


def test_the_number_of_queries_does_not_grow_with_the_clients(
    practitioner_api, practitioner, make_client, django_assert_num_queries
):
    def add_clients(count: int) -> None:
        for _ in range(count):
            client = make_client(practitioner)
            ClientMedicationFactory(client=client, atc_code="N05BA04")
            ClientMedicationFactory(client=client, atc_code="N06AB06", name="sertraline")
            client.own_supplements.create(name="Visolie")

    add_clients(2)
    # 1 the token with its user, 2 the user's tokens (knox), 3 the user's groups, 4 count, 5 the
    # page of clients with their practitioner, 6 their medications, 7 their own supplements with the
    # nutrient
    with django_assert_num_queries(7):
        assert len(practitioner_api.get(URL).json()["results"]) == 2

    add_clients(8)
    with django_assert_num_queries(7):
        assert len(practitioner_api.get(URL).json()["results"]) == 10


def test_its_count_is_exact_where_the_staff_page_stops_counting(
    practitioner_api, practitioner, make_client, monkeypatch
):
    monkeypatch.setattr(clients, "SEARCH_COUNT_CAP", 2)
    for number in range(4):
        make_client(practitioner, last_name=f"de Vries{number}", client_number=f"0010{number}")

    body = practitioner_api.get(URL, {"search": "vries"}).json()

    assert body["count"] == 4
