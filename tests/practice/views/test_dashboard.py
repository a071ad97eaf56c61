"""The dashboard at /: recent consults of the user's own clients and quick links."""

import datetime

from django.urls import reverse

from tests.factories import ClientFactory, ConsultFactory

URL = reverse("practice:dashboard")


def test_it_is_the_site_root():
    assert URL == "/"


def test_it_redirects_anonymous_users_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_lists_the_practitioners_recent_consults_newest_first(
    web, sanne, knowledge_base, django_assert_num_queries
):
    ConsultFactory(client=sanne, date=datetime.date(2026, 1, 5))
    ConsultFactory(client=sanne, date=datetime.date(2026, 3, 9))
    # Queries: session, user, the user's roles (one query for the page and the access
    # helper), the consults with their clients and latest protocol versions, their lines
    # with nutrients, the clients' medicines and own supplements (for the saved checks),
    # the interaction table's version and the table (5, read afresh after the fixture).
    with django_assert_num_queries(13):
        response = web.get(URL)
    assert response.status_code == 200
    dates = [row.consult.date for row in response.context["consults"]]
    assert dates == [datetime.date(2026, 3, 9), datetime.date(2026, 1, 5)]
    content = response.content.decode()
    assert reverse("practice:client-create") in content
    assert reverse("gutbrain:nutrient-list") in content


def test_its_query_count_does_not_grow_with_the_consults(
    web, sanne, knowledge_base, django_assert_num_queries
):
    for day in range(1, 9):
        ConsultFactory(
            client=ClientFactory(practitioner=sanne.practitioner, practice=sanne.practice),
            date=datetime.date(2026, 2, day),
        )
    with django_assert_num_queries(13):
        assert web.get(URL).status_code == 200


def test_it_does_not_show_a_colleagues_consults(web, sanne, colleagues_client):
    ConsultFactory(client=colleagues_client)
    response = web.get(URL)
    assert list(response.context["consults"]) == []
    assert "Bakker" not in response.content.decode()


def test_a_user_who_is_not_a_practitioner_gets_the_knowledge_base_link_only(outsider_web):
    response = outsider_web.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("gutbrain:nutrient-list") in content
    assert reverse("practice:client-create") not in content
    assert reverse("practice:client-list") not in content


def test_it_lists_the_consults_the_practitioner_held_with_their_own_clients(
    web, sanne, colleague, colleagues_client
):
    # A colleague's consult with Sanne (before she moved to this practitioner, say), and
    # this practitioner's consult with a client since moved to the colleague.
    ConsultFactory(client=sanne, practitioner=colleague, date=datetime.date(2026, 3, 1))
    ConsultFactory(
        client=colleagues_client, practitioner=sanne.practitioner, date=datetime.date(2026, 3, 2)
    )
    own = ConsultFactory(client=sanne, date=datetime.date(2026, 2, 1))
    response = web.get(URL)
    assert [row.consult for row in response.context["consults"]] == [own]
