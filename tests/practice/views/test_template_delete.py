"""Deleting a protocol template: its owner or an admin of the practice."""

import pytest
from django.urls import reverse

from practice.models import ProtocolTemplate
from tests.practice.views.conftest import make_template


def url(template: ProtocolTemplate) -> str:
    return reverse("practice:template-delete", args=[template.pk])


@pytest.fixture
def own_template(knowledge_base, practitioner, member, practice):
    return make_template(practitioner, practice, "Slaap", lines=[("melatonin", "1")])


def test_the_owner_deletes_it(web, own_template):
    response = web.post(url(own_template), follow=True)
    assert response.redirect_chain == [(reverse("practice:template-list"), 302)]
    assert "Het sjabloon “Slaap” is verwijderd." in response.content.decode()
    assert not ProtocolTemplate.objects.exists()


def test_a_colleague_may_use_a_shared_template_but_not_delete_it(colleague_web, own_template):
    own_template.shared = True
    own_template.save()
    assert colleague_web.post(url(own_template)).status_code == 403
    assert ProtocolTemplate.objects.exists()


def test_a_colleague_gets_404_for_a_private_template(colleague_web, own_template):
    assert colleague_web.post(url(own_template)).status_code == 404
    assert ProtocolTemplate.objects.exists()


def test_a_consult_started_from_it_keeps_its_lines(web, own_template, sanne):
    response = web.post(
        reverse("practice:consult-create", args=[sanne.pk]), {"template": own_template.pk}
    )
    consult_url = response.url
    web.post(url(own_template))
    response = web.get(consult_url)
    assert [c.nutrient for c in response.context["check"]] == ["melatonin"]
