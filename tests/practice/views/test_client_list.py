"""The client list: search by name, client number or date of birth, paginated."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import ngettext, override

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


def add_clients(sanne, *last_names: str, first_name: str = "Anna") -> None:
    for last_name in last_names:
        ClientFactory(
            practitioner=sanne.practitioner,
            practice=sanne.practice,
            first_name=first_name,
            last_name=last_name,
        )


def test_a_short_word_finds_the_start_of_a_word_in_a_name(web, sanne):
    add_clients(sanne, "de Vries", "Hendriks", "van der Berg", "Dijkstra")
    add_clients(sanne, "Jansen", first_name="Dennis")
    add_clients(sanne, "Visser", first_name="Anne Dewi")
    found = ["de Vries", "Jansen", "Visser", "van der Berg"]
    assert names(web.get(URL, {"q": "de"})) == found
    assert names(web.get(URL, {"q": "DE"})) == found


def test_a_longer_word_is_found_anywhere_in_a_name(web, sanne):
    add_clients(sanne, "de Vries", "Hendriks", "van Dijk")
    assert names(web.get(URL, {"q": "van"})) == ["van Dijk"]
    assert names(web.get(URL, {"q": "vries"})) == ["de Vries"]
    assert names(web.get(URL, {"q": "endr"})) == ["Hendriks"]


def test_every_word_must_match(web, sanne):
    add_clients(sanne, "van de Berg", "van Dijk", "de Jong", "Jongeneel")
    assert names(web.get(URL, {"q": "van de"})) == ["van de Berg"]
    assert names(web.get(URL, {"q": "de jong"})) == ["de Jong"]
    assert names(web.get(URL, {"q": "Anna  van  de"})) == ["van de Berg"]


def test_a_percent_sign_or_underscore_is_searched_as_itself(web, sanne):
    add_clients(sanne, "de Vries")
    assert names(web.get(URL, {"q": "%"})) == []
    assert names(web.get(URL, {"q": "_e"})) == []


def test_last_names_that_start_with_the_search_come_first(web, sanne):
    add_clients(sanne, "Vandermeer", "van der Berg", "Baarsvander")
    # Alphabetically "Baarsvander" and "Vandermeer" come before "van der Berg".
    assert names(web.get(URL, {"q": "vander"})) == ["Vandermeer", "Baarsvander"]
    assert names(web.get(URL, {"q": "van der"})) == ["van der Berg", "Baarsvander", "Vandermeer"]


def test_a_search_counts_up_to_the_cap_and_says_there_are_more(
    web, sanne, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(clients, "SEARCH_COUNT_CAP", 4)
    monkeypatch.setattr(clients, "CLIENTS_PER_PAGE", 2)
    add_clients(sanne, *(f"Visser{n}" for n in range(6)))
    # Queries: session, user, the user's roles, the count (of at most 5), the page.
    with django_assert_num_queries(5):
        response = web.get(URL, {"q": "visser"})
    page = response.context["page"]
    assert page.paginator.count == 5 and page.paginator.capped
    assert page.paginator.num_pages == 2
    content = response.content.decode()
    assert (
        nl(
            "More than %(cap)s clients: only the first %(cap)s are shown. "
            "Refine the search to find a client.",
            cap=4,
        )
        in content
    )
    assert (
        nl("Page %(number)s of %(pages)s (the first %(cap)s clients)", number=1, pages=2, cap=4)
        in content
    )
    # Past the cap, the last page within it.
    last = web.get(URL, {"q": "visser", "page": 99}).context["page"]
    assert last.number == 2 and names_of(last) == ["Visser2", "Visser3"]
    assert not last.has_next()


def test_a_search_at_the_cap_is_counted_exactly(web, sanne, monkeypatch):
    monkeypatch.setattr(clients, "SEARCH_COUNT_CAP", 4)
    add_clients(sanne, *(f"Visser{n}" for n in range(4)))
    response = web.get(URL, {"q": "visser"})
    assert response.context["page"].paginator.count == 4
    assert not response.context["page"].paginator.capped
    assert clients_counted(4) in response.content.decode()


def test_the_list_without_a_search_is_counted_exactly(web, sanne, monkeypatch):
    monkeypatch.setattr(clients, "SEARCH_COUNT_CAP", 2)
    add_clients(sanne, "Visser", "de Vries")
    response = web.get(URL)
    assert response.context["page"].paginator.count == 3
    assert clients_counted(3) in response.content.decode()


def names_of(page) -> list[str]:
    return [c.last_name for c in page.object_list]


def clients_counted(count: int) -> str:
    with override("nl"):
        return ngettext("%(counter)s client", "%(counter)s clients", count) % {"counter": count}


def test_a_search_reads_no_further_than_the_cap(web, sanne):
    with CaptureQueriesContext(connection) as queries:
        web.get(URL, {"q": "mulder"})
    limit = f"LIMIT {clients.SEARCH_COUNT_CAP + 1}"
    # The ids of the first matches in order, their count, once.
    assert [q for q in queries.captured_queries if limit in q["sql"]] != []
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]
