"""The form select of a line, narrowed by htmx to the chosen nutrient's forms."""

from django.urls import reverse

from gutbrain.models import NutrientForm

URL = reverse("practice:nutrient-form-options")


def test_it_redirects_anonymous_users_to_the_login_page(client):
    response = client.get(URL, {"lines-0-nutrient": "magnesium"})
    assert response.status_code == 302


def test_it_is_forbidden_to_users_who_are_not_practitioners(outsider_web):
    assert outsider_web.get(URL, {"lines-0-nutrient": "magnesium"}).status_code == 403


def test_it_offers_only_the_forms_of_the_chosen_nutrient(web, knowledge_base):
    response = web.get(URL, {"lines-3-nutrient": "magnesium"})
    assert response.status_code == 200
    content = response.content.decode()
    for form in NutrientForm.objects.all():
        option = f'<option value="{form.pk}">'
        assert (option in content) == (form.nutrient.slug == "magnesium")
    assert '<option value="">' in content
    assert "<optgroup" not in content


def test_without_a_nutrient_it_offers_every_form_grouped_by_nutrient(web, knowledge_base):
    content = web.get(URL, {"lines-0-nutrient": ""}).content.decode()
    assert content.count("<optgroup") == len(
        set(NutrientForm.objects.values_list("nutrient", flat=True))
    )
