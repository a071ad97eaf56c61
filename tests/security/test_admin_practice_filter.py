"""The admin's lists filter by practice naming only the practices of records the user may
see: a practitioner's list does not tell them which other practices use gutbrain.
(Issue #11, finding 10.)"""

import pytest
from django.contrib.auth.models import User
from django.test import Client as WebClient
from django.urls import reverse

from practice.models import Practice, ProtocolTemplate
from tests.factories import ClientFactory, PracticeFactory, PracticeMemberFactory, UserFactory

ELSEWHERE = "Praktijk Elders"


@pytest.fixture
def own_practice(db) -> Practice:
    return PracticeFactory(name="Praktijk Eigen")


@pytest.fixture
def owner(practitioner, own_practice) -> User:
    practitioner.is_staff = True
    practitioner.save(update_fields=["is_staff"])
    PracticeMemberFactory(user=practitioner, practice=own_practice, is_practice_admin=True)
    ClientFactory(practitioner=practitioner, practice=own_practice)
    ProtocolTemplate.objects.create(name="Eigen", owner=practitioner, practice=own_practice)
    return practitioner


@pytest.fixture
def elsewhere(colleague) -> Practice:
    """Another practice, with a client and a shared template of its own."""
    practice = PracticeFactory(name=ELSEWHERE)
    PracticeMemberFactory(user=colleague, practice=practice, is_practice_admin=True)
    ClientFactory(practitioner=colleague, practice=practice)
    ProtocolTemplate.objects.create(name="Elders", owner=colleague, practice=practice, shared=True)
    return practice


LISTS = ["admin:practice_client_changelist", "admin:practice_protocoltemplate_changelist"]


def practice_choices(browser: WebClient, url_name: str) -> list[str]:
    """The practices the list's filter offers; none when it offers one or none, as the
    admin then leaves the filter out."""
    response = browser.get(reverse(url_name))
    assert response.status_code == 200
    specs = [s for s in response.context["cl"].filter_specs if s.field_path == "practice"]
    return [str(name) for spec in specs for _, name in spec.lookup_choices]


@pytest.mark.parametrize("url_name", LISTS)
def test_a_practitioner_is_offered_only_their_own_practice(owner, elsewhere, url_name):
    browser = WebClient()
    browser.force_login(owner)

    assert ELSEWHERE not in practice_choices(browser, url_name)
    assert ELSEWHERE not in browser.get(reverse(url_name)).content.decode()


@pytest.mark.parametrize("url_name", LISTS)
def test_a_practitioner_of_no_practice_is_offered_none(
    practitioner, own_practice, elsewhere, url_name
):
    practitioner.is_staff = True
    practitioner.save(update_fields=["is_staff"])
    browser = WebClient()
    browser.force_login(practitioner)

    assert practice_choices(browser, url_name) == []


@pytest.mark.parametrize("url_name", LISTS)
def test_a_superuser_is_offered_every_practice_with_records(admin_user, owner, elsewhere, url_name):
    PracticeFactory(name="Praktijk Zonder Cliënten")
    browser = WebClient()
    browser.force_login(admin_user)

    assert sorted(practice_choices(browser, url_name)) == ["Praktijk Eigen", ELSEWHERE]


def test_filtering_by_another_practice_shows_nothing_of_it(owner, elsewhere):
    browser = WebClient()
    browser.force_login(owner)

    response = browser.get(
        reverse("admin:practice_client_changelist"), {"practice__id__exact": elsewhere.pk}
    )

    assert response.status_code == 200
    assert {client.practice for client in response.context["cl"].result_list} <= {
        owner.practice_member.practice
    }
    assert ELSEWHERE not in response.content.decode()


def test_the_practice_member_list_is_the_superusers_alone(owner, elsewhere):
    """Its practice filter names every practice: nobody else reaches it."""
    browser = WebClient()
    browser.force_login(UserFactory(username="staff-only", is_staff=True))
    assert browser.get(reverse("admin:practice_practicemember_changelist")).status_code == 403
    browser.force_login(owner)
    assert browser.get(reverse("admin:practice_practicemember_changelist")).status_code == 403
