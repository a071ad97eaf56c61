"""The client list: search by name, client number or date of birth, paginated."""

import datetime

import pytest
from django.urls import reverse

from practice.views import clients
from tests.factories import ClientFactory
from tests.practice.views.texts import nl

URL = reverse("practice:client-list")


def names(response) -> list[str]:
    return [c.last_name for c in response.context["page"].object_list]


def test_it_redirects_anonymous_users_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_is_forbidden_to_users_who_are_not_practitioners(outsider_web):
    assert outsider_web.get(URL).status_code == 403


@pytest.mark.parametrize("count", [2, 12])
def test_it_lists_the_practitioners_clients_in_a_fixed_number_of_queries(
    web, sanne, count, django_assert_num_queries
):
    for _ in range(count - 1):
        ClientFactory(practitioner=sanne.practitioner, practice=sanne.practice)
    # Queries: session, user, the user's roles (one query for the page and the access
    # helper), the count, the page of clients with their last consult date.
    with django_assert_num_queries(5):
        response = web.get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == count
    assert "Mulder, Sanne" in response.content.decode()


def test_it_does_not_list_a_colleagues_clients(web, sanne, colleagues_client):
    response = web.get(URL)
    assert names(response) == ["Mulder"]


def test_it_finds_a_client_by_name(web, sanne):
    ClientFactory(practitioner=sanne.practitioner, practice=sanne.practice, last_name="Visser")
    assert names(web.get(URL, {"q": "mulder"})) == ["Mulder"]
    assert names(web.get(URL, {"q": "Sanne Mul"})) == ["Mulder"]


def test_it_finds_a_client_by_client_number(web, sanne):
    ClientFactory(practitioner=sanne.practitioner, practice=sanne.practice, last_name="Visser")
    assert names(web.get(URL, {"q": "00042"})) == ["Mulder"]


def test_it_finds_a_client_by_date_of_birth(web, sanne):
    ClientFactory(
        practitioner=sanne.practitioner,
        practice=sanne.practice,
        last_name="Visser",
        date_of_birth=datetime.date(1990, 1, 1),
    )
    assert names(web.get(URL, {"q": "14-03-1985"})) == ["Mulder"]
    assert names(web.get(URL, {"q": "1985-03-14"})) == ["Mulder"]


def test_it_says_so_when_nothing_matches(web, sanne):
    response = web.get(URL, {"q": "Jansen"})
    assert names(response) == []
    assert nl("No client matches this search.") in response.content.decode()


def test_it_pages_the_list_and_keeps_the_search(web, sanne, monkeypatch):
    monkeypatch.setattr(clients, "CLIENTS_PER_PAGE", 2)
    for _ in range(3):
        ClientFactory(practitioner=sanne.practitioner, practice=sanne.practice, first_name="Sanne")
    response = web.get(URL, {"q": "Sanne"})
    assert len(response.context["page"].object_list) == 2
    assert "?q=Sanne&amp;page=2" in response.content.decode()
    second = web.get(URL, {"q": "Sanne", "page": 2})
    assert len(second.context["page"].object_list) == 2
