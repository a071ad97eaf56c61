"""`manage.py load_knowledge_base` makes the brochure the first version of every row, so
that a curator can go back to its wording from the history page."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gutbrain.models import (
    EvidenceOutcome,
    EvidenceSummary,
    FoodSource,
    Indication,
    IndicationSupport,
    Interaction,
    Medicine,
    MedicineClass,
    Nutrient,
    NutrientForm,
    PathwayStep,
    Reference,
    Topic,
)
from tests.gutbrain.admin.browser import admin_url, form_data

pytestmark = pytest.mark.django_db

KNOWLEDGE_MODELS = [
    Reference,
    Nutrient,
    NutrientForm,
    FoodSource,
    Indication,
    IndicationSupport,
    MedicineClass,
    Medicine,
    Interaction,
    EvidenceSummary,
    EvidenceOutcome,
    Topic,
    PathwayStep,
]


def load(*args: str) -> None:
    call_command("load_knowledge_base", *args, stdout=io.StringIO())


def dutch_browser(user) -> Client:
    web = Client()  # Dutch, the default
    web.force_login(user)
    return web


def test_every_loaded_row_has_one_version_loaded_from_the_brochure():
    load()

    for model in KNOWLEDGE_MODELS:
        assert model.objects.exists(), model
        versions = model.history.values_list("id", "history_type", "history_change_reason")
        assert sorted(versions) == sorted(
            (pk, "+", "Loaded from the brochure")
            for pk in model.objects.values_list("pk", flat=True)
        ), model


def test_the_first_version_has_the_rows_references():
    load()

    for nutrient in Nutrient.objects.prefetch_related("references"):
        first = nutrient.history.earliest()
        assert {r.reference_id for r in first.references.all()} == {
            r.pk for r in nutrient.references.all()
        }, nutrient.slug


def test_a_forced_reload_adds_a_version_of_each_row_and_keeps_the_earlier_ones():
    load()
    row = Interaction.objects.first()

    load("--force")

    assert [v.history_type for v in row.history.order_by("history_id")] == ["+", "~"]
    assert Nutrient.history.count() == 2 * Nutrient.objects.count()


def test_a_curator_restores_the_brochures_advice_from_the_history_page(curator):
    load()
    row = Interaction.objects.get(
        nutrient__slug="magnesium", target=Interaction.Target.ANY_MEDICINE
    )
    brochure = row.advice_nl
    web = dutch_browser(curator)
    change = admin_url("interaction", "change", row.pk)
    data = form_data(web.get(change), form_id="interaction_form")
    data["advice_nl"] = ["Neem magnesium op een ander moment dan medicijnen."]
    assert web.post(change, data).status_code == 302
    row.refresh_from_db()
    assert row.advice_nl != brochure

    history = web.get(admin_url("interaction", "history", row.pk)).content.decode()
    first = row.history.earliest()
    revert = reverse("admin:gutbrain_interaction_simple_history", args=[row.pk, first.history_id])
    assert f'href="{revert}"' in history
    assert "Geladen uit de brochure" in history
    form = web.get(revert)
    assert "Klik hieronder op ‘Terugzetten’" in form.content.decode()
    response = web.post(revert, form_data(form, form_id="historicalinteraction_form"))

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.advice_nl == brochure
    assert row.history.count() == 3


def test_the_history_page_says_where_a_version_came_from_in_the_readers_language(curator):
    load()
    nutrient = Nutrient.objects.get(slug="magnesium")
    web = dutch_browser(curator)
    web.cookies["django_language"] = "en"

    html = web.get(admin_url("nutrient", "history", nutrient.pk)).content.decode()

    assert "Loaded from the brochure" in html
    assert re.search(r"1\s+version", html)
