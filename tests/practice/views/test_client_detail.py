"""A client's page: details, medicines, consult history and "new consult"."""

import datetime

import pytest
from django.urls import reverse

from practice.models import Client
from practice.views import clients
from tests.factories import ClientMedicationFactory, ConsultFactory, SupplementLineFactory
from tests.practice.views.conftest import make_template
from tests.practice.views.texts import nl


def url(client: Client) -> str:
    return reverse("practice:client-detail", args=[client.pk])


def test_it_redirects_anonymous_users_to_the_login_page(client, sanne):
    response = client.get(url(sanne))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_colleague_gets_404_for_another_practitioners_client(colleague_web, sanne):
    assert colleague_web.get(url(sanne)).status_code == 404


def test_a_user_who_is_not_a_practitioner_gets_404(outsider_web, sanne):
    assert outsider_web.get(url(sanne)).status_code == 404


def test_it_answers_404_for_a_client_that_does_not_exist(web, member):
    assert web.get(reverse("practice:client-detail", args=[999])).status_code == 404


@pytest.mark.parametrize("consults", [1, 6])
def test_it_shows_medicines_and_consults_in_a_fixed_number_of_queries(
    web, sanne, consults, django_assert_num_queries
):
    ClientMedicationFactory(client=sanne, atc_code="N05BA04", name="oxazepam")
    for day in range(1, consults + 1):
        SupplementLineFactory(
            consult=ConsultFactory(client=sanne, date=datetime.date(2026, 5, day))
        )
    # Queries: session, user, the user's roles (one query for every access helper), the
    # client with the practice, medicines, own supplements, the access log's newest hash
    # and the new entry, then for "new consult": the practice membership, the templates
    # with their owners; the count of the consults and their page (with line counts and
    # latest versions); the latest entries of the access log.
    with django_assert_num_queries(13):
        response = web.get(url(sanne))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Sanne Mulder" in content
    assert "oxazepam" in content and "N05BA04" in content
    assert content.count("/consults/") >= consults
    assert reverse("practice:consult-create", args=[sanne.pk]) in content


def test_new_consult_offers_own_and_shared_templates_only(
    web, sanne, practitioner, colleague, colleague_member, practice, knowledge_base
):
    make_template(practitioner, practice, "Stress en darm", lines=[("magnesium", "200")])
    make_template(colleague, practice, "Slaap (gedeeld)", shared=True)
    make_template(colleague, practice, "Privé van Bram")
    content = web.get(url(sanne)).content.decode()
    assert "Stress en darm" in content
    assert "Slaap (gedeeld)" in content
    assert "Privé van Bram" not in content


def test_it_pages_the_consults_newest_first(web, sanne, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(clients, "CONSULTS_PER_PAGE", 2)
    for day in (3, 1, 2):
        SupplementLineFactory(
            consult=ConsultFactory(client=sanne, date=datetime.date(2026, 5, day))
        )
    first = web.get(url(sanne))
    page = first.context["consults"]
    assert [c.date.day for c in page.object_list] == [3, 2]
    assert [c.line_count for c in page.object_list] == [1, 1]
    content = first.content.decode()
    assert nl("Page %(number)s of %(pages)s", number=1, pages=2) in content
    assert nl("Older consults") in content and nl("Newer consults") not in content
    assert "?page=2#consults-title" in content
    with django_assert_num_queries(13):
        second = web.get(url(sanne), {"page": 2})
    assert [c.date.day for c in second.context["consults"].object_list] == [1]
    assert nl("Newer consults") in second.content.decode()
    # A page past the end shows the last one.
    assert web.get(url(sanne), {"page": 9}).context["consults"].number == 2


def test_a_consult_without_lines_counts_none(web, sanne, consult):
    [row] = web.get(url(sanne)).context["consults"].object_list
    assert row.line_count == 0 and row.latest_version is None
