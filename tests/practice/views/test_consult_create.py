"""Starting a consult from the client's page: empty, or from a protocol template."""

import pytest
from django.urls import reverse

from gutbrain.models import Indication
from practice.models import Client, Consult
from tests.practice.views.conftest import make_template


def url(client: Client) -> str:
    return reverse("practice:consult-create", args=[client.pk])


def test_it_redirects_anonymous_users_to_the_login_page(client, sanne):
    response = client.post(url(sanne))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Consult.objects.exists()


def test_it_only_answers_posts(web, sanne):
    assert web.get(url(sanne)).status_code == 405


def test_a_colleague_gets_404_for_another_practitioners_client(colleague_web, sanne):
    assert colleague_web.post(url(sanne)).status_code == 404
    assert not Consult.objects.exists()


def test_it_starts_an_empty_consult(web, sanne, practitioner):
    response = web.post(url(sanne), {"template": ""})
    consult = Consult.objects.get()
    assert response.status_code == 302
    assert response.url == consult.get_absolute_url()
    assert consult.client == sanne
    assert consult.practitioner == practitioner
    assert not consult.lines.exists()


@pytest.fixture
def stress_template(knowledge_base, practitioner, practice, member):
    template = make_template(
        practitioner, practice, "Stress en darm", lines=[("magnesium", "200"), ("saffron", "30")]
    )
    template.complaints.set(Indication.objects.filter(slug="stress"))
    return template


def test_it_starts_a_consult_from_the_practitioners_template(web, sanne, stress_template):
    response = web.post(url(sanne), {"template": stress_template.pk})
    consult = Consult.objects.get()
    assert response.status_code == 302
    assert [(line.nutrient.slug, line.dose_amount) for line in consult.lines.order_by("order")] == [
        ("magnesium", 200),
        ("saffron", 30),
    ]
    assert list(consult.complaints.values_list("slug", flat=True)) == ["stress"]


def test_it_starts_a_consult_from_a_template_shared_in_the_practice(
    web, sanne, knowledge_base, colleague, colleague_member, practice
):
    shared = make_template(colleague, practice, "Slaap", shared=True, lines=[("melatonin", "1")])
    web.post(url(sanne), {"template": shared.pk})
    assert Consult.objects.get().lines.get().nutrient.slug == "melatonin"


def test_a_colleagues_private_template_cannot_be_used(
    web, sanne, knowledge_base, colleague, colleague_member, practice
):
    private = make_template(colleague, practice, "Privé", lines=[("melatonin", "1")])
    response = web.post(url(sanne), {"template": private.pk})
    assert response.status_code == 302
    assert response.url == sanne.get_absolute_url()
    assert not Consult.objects.exists()
