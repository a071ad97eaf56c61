"""Saving a consult's lines as a protocol template from the consult page."""

import pytest
from django.urls import reverse

from gutbrain.models import Indication, Nutrient, NutrientForm
from practice.models import Consult, ProtocolTemplate
from tests.factories import SupplementLineFactory


def url(consult: Consult) -> str:
    return reverse("practice:consult-save-template", args=[consult.pk])


@pytest.fixture
def stress_consult(knowledge_base, consult):
    magnesium = Nutrient.objects.get(slug="magnesium")
    SupplementLineFactory(
        consult=consult,
        nutrient=magnesium,
        form=NutrientForm.objects.get(nutrient=magnesium, slug="bisglycinate"),
        order=1,
    )
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="saffron"), order=2)
    consult.complaints.set(Indication.objects.filter(slug="stress"))
    return consult


def test_it_redirects_anonymous_users_to_the_login_page(client, consult):
    response = client.post(url(consult), {"name": "Slaap"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not ProtocolTemplate.objects.exists()


def test_a_colleague_gets_404_for_another_practitioners_consult(colleague_web, stress_consult):
    assert colleague_web.post(url(stress_consult), {"name": "Gekopieerd"}).status_code == 404
    assert not ProtocolTemplate.objects.exists()


def test_it_saves_the_lines_and_complaints_and_shows_the_template(
    web, stress_consult, practitioner
):
    response = web.post(url(stress_consult), {"name": "Stress en darm"}, follow=True)
    assert response.redirect_chain == [(reverse("practice:template-list"), 302)]
    template = ProtocolTemplate.objects.get()
    assert (template.owner, template.shared) == (practitioner, False)
    assert template.practice == stress_consult.client.practice
    lines = list(template.lines.values_list("nutrient__slug", "form__slug"))
    assert lines == [("magnesium", "bisglycinate"), ("saffron", None)]
    assert [c.slug for c in template.complaints.all()] == ["stress"]
    content = response.content.decode()
    assert "Opgeslagen als het sjabloon “Stress en darm”." in content
    assert "alleen voor u" in content


def test_a_practitioner_who_is_no_practice_admin_cannot_share_it(web, stress_consult):
    assert 'name="shared"' not in web.get(stress_consult.get_absolute_url()).content.decode()
    web.post(url(stress_consult), {"name": "Stress en darm", "shared": "on"})
    assert not ProtocolTemplate.objects.get().shared


def test_a_practice_admin_shares_it_at_once(web, stress_consult, member):
    member.is_practice_admin = True
    member.save()
    assert 'name="shared"' in web.get(stress_consult.get_absolute_url()).content.decode()
    web.post(url(stress_consult), {"name": "Stress en darm", "shared": "on"})
    assert ProtocolTemplate.objects.get().shared


def test_a_name_already_used_is_shown_beside_the_name(web, stress_consult):
    web.post(url(stress_consult), {"name": "Stress en darm"})
    response = web.post(url(stress_consult), {"name": "stress en darm"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="template-errors"' in content
    assert 'href="#id_name"' in content
    assert "U hebt al een sjabloon met deze naam." in content
    assert ProtocolTemplate.objects.count() == 1


def test_a_consult_without_saved_lines_makes_no_template(web, knowledge_base, consult):
    response = web.post(url(consult), {"name": "Leeg"})
    assert response.status_code == 200
    assert "Een sjabloon heeft ten minste één supplementregel nodig." in response.content.decode()
    assert not ProtocolTemplate.objects.exists()
