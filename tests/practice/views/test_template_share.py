"""Sharing a protocol template with the whole practice: for practice admins only."""

import pytest
from django.urls import reverse

from practice.models import ProtocolTemplate
from tests.practice.views.conftest import make_template


def url(template: ProtocolTemplate) -> str:
    return reverse("practice:template-share", args=[template.pk])


@pytest.fixture
def brams_template(knowledge_base, colleague, colleague_member, practice):
    return make_template(colleague, practice, "Slaap", lines=[("melatonin", "1")])


@pytest.fixture
def admin_member(member):
    member.is_practice_admin = True
    member.save()
    return member


def test_it_redirects_anonymous_users_to_the_login_page(client, brams_template):
    response = client.post(url(brams_template), {"shared": "true"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_practice_admin_shares_a_colleagues_template_and_stops_sharing_it(
    web, admin_member, brams_template
):
    response = web.post(url(brams_template), {"shared": "true"}, follow=True)
    assert response.redirect_chain == [(reverse("practice:template-list"), 302)]
    assert "“Slaap” wordt nu gedeeld met de hele praktijk." in response.content.decode()
    brams_template.refresh_from_db()
    assert brams_template.shared

    web.post(url(brams_template), {"shared": "false"})
    brams_template.refresh_from_db()
    assert not brams_template.shared


def test_the_list_offers_the_share_button_to_the_admin_only(
    web, colleague_web, admin_member, brams_template
):
    share = f'action="{url(brams_template)}"'
    assert share in web.get(reverse("practice:template-list")).content.decode()
    assert share not in colleague_web.get(reverse("practice:template-list")).content.decode()


def test_the_owner_who_is_no_admin_may_not_share(colleague_web, brams_template):
    assert colleague_web.post(url(brams_template), {"shared": "true"}).status_code == 403
    brams_template.refresh_from_db()
    assert not brams_template.shared


def test_a_practitioner_who_is_no_admin_gets_404_for_a_private_template_of_a_colleague(
    web, member, brams_template
):
    assert web.post(url(brams_template), {"shared": "true"}).status_code == 404


def test_an_admin_of_another_practice_gets_404(outsider, brams_template):
    from django.contrib.auth.models import Group
    from django.test import Client as WebClient

    from tests.factories import PracticeMemberFactory

    outsider.groups.add(Group.objects.get(name="practitioner"))
    PracticeMemberFactory(user=outsider, is_practice_admin=True)
    browser = WebClient()
    browser.force_login(outsider)
    assert browser.post(url(brams_template), {"shared": "true"}).status_code == 404
    brams_template.refresh_from_db()
    assert not brams_template.shared


def test_a_get_is_not_allowed(web, admin_member, brams_template):
    assert web.get(url(brams_template)).status_code == 405
