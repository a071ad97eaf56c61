"""The interaction row's admin form: 'no interactions known' in pregnancy or
breastfeeding reassures, so a curator states it only with its reference."""

import pytest

from gutbrain.models import Interaction, Level
from tests import factories
from tests.gutbrain.admin.browser import admin_url, form_data

NEEDS_REFERENCE = (
    "'No interactions known' in pregnancy or breastfeeding needs the reference that says so."
)


@pytest.fixture
def row(db) -> Interaction:
    return factories.InteractionFactory(
        nutrient=factories.NutrientFactory(slug="magnesium"),
        target=Interaction.Target.PREGNANCY,
        medicine_class=None,
        level=Level.CONSULT,
    )


def post(curator_client, row, **changes):
    url = admin_url("interaction", "change", row.pk)
    data = form_data(curator_client.get(url), form_id="interaction_form")
    data.update(changes)
    return curator_client.post(url, data)


@pytest.mark.parametrize("target", ["pregnancy", "breastfeeding"])
def test_none_known_in_pregnancy_without_a_reference_is_refused_on_the_references(
    curator_client, row, target
):
    response = post(curator_client, row, target=[target], level=["none_known"], references=[])

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"references": [NEEDS_REFERENCE]}
    row.refresh_from_db()
    assert row.level == Level.CONSULT


def test_none_known_in_pregnancy_with_a_reference_is_saved(curator_client, row):
    reference = factories.ReferenceFactory(number=7)

    response = post(curator_client, row, level=["none_known"], references=[str(reference.pk)])

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.level == Level.NONE_KNOWN
    assert list(row.references.all()) == [reference]


def test_the_nutrients_inline_refuses_it_too(curator_client, row):
    url = admin_url("nutrient", "change", row.nutrient.pk)
    data = form_data(curator_client.get(url), form_id="nutrient_form")
    data["interactions-0-level"] = ["none_known"]
    data["interactions-0-references"] = []

    response = curator_client.post(url, data)

    assert response.status_code == 200
    [inline] = [
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "interactions"
    ]
    assert inline.formset.errors[0] == {"references": [NEEDS_REFERENCE]}
    row.refresh_from_db()
    assert row.level == Level.CONSULT


# --- The client text ----------------------------------------------------------------------


def client_text_required(label: str) -> str:
    return (
        f"Write the {label}: it is what the client's handout says about this row. It is "
        "required for every row added or changed."
    )


def test_the_change_page_shows_both_client_texts(curator_client, row):
    html = curator_client.get(admin_url("interaction", "change", row.pk)).content.decode()

    assert 'name="client_advice_nl"' in html
    assert 'name="client_advice_en"' in html
    assert "{medicines}" in html  # the help text tells the curator about the placeholder


def test_an_edited_row_without_a_client_text_is_refused_on_that_field(curator_client, row):
    response = post(curator_client, row, level=["avoid"], client_advice_nl=[""])

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "client_advice_nl": [client_text_required("client text (Dutch)")]
    }
    row.refresh_from_db()
    assert row.level == Level.CONSULT


def test_an_added_row_without_client_texts_is_refused(curator_client, row):
    url = admin_url("interaction", "add")
    data = form_data(curator_client.get(url), form_id="interaction_form")
    data.update(
        nutrient=[str(row.nutrient.pk)],
        target=["breastfeeding"],
        level=["avoid"],
        evidence_level=["practice_advice"],
        advice_nl=["Afgeraden."],
        advice_en=["Advised against."],
    )

    response = curator_client.post(url, data)

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {
        "client_advice_nl",
        "client_advice_en",
    }
    assert Interaction.objects.count() == 1


def test_an_edited_row_with_client_texts_is_saved(curator_client, row):
    response = post(
        curator_client,
        row,
        client_advice_nl=["Overleg met uw arts of verloskundige als u zwanger bent."],
        client_advice_en=["Talk to your doctor or midwife if you are pregnant."],
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.client_advice_nl == "Overleg met uw arts of verloskundige als u zwanger bent."


def test_the_medicines_placeholder_on_a_pregnancy_row_is_refused(curator_client, row):
    response = post(curator_client, row, client_advice_nl=["Niet samen met {medicines}."])

    assert response.context["adminform"].form.errors == {
        "client_advice_nl": [
            "A row for pregnancy or breastfeeding is about no medicine: remove {medicines}."
        ]
    }


def test_another_placeholder_is_refused(curator_client, row):
    response = post(curator_client, row, client_advice_en=["Not with {medicine}."])

    assert response.context["adminform"].form.errors == {
        "client_advice_en": [
            "Unknown placeholder: {medicine}. The only placeholder a client text may hold is "
            "{medicines}."
        ]
    }


def test_the_nutrients_inline_refuses_an_edited_row_without_a_client_text(curator_client, row):
    url = admin_url("nutrient", "change", row.nutrient.pk)
    data = form_data(curator_client.get(url), form_id="nutrient_form")
    data["interactions-0-level"] = ["avoid"]
    data["interactions-0-client_advice_en"] = [""]

    response = curator_client.post(url, data)

    assert response.status_code == 200
    [inline] = [
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "interactions"
    ]
    assert inline.formset.errors[0] == {
        "client_advice_en": [client_text_required("client text (English)")]
    }


def test_the_nutrient_saves_with_an_untouched_row_from_before_the_client_texts(curator_client, row):
    Interaction.objects.filter(pk=row.pk).update(client_advice_nl="", client_advice_en="")
    url = admin_url("nutrient", "change", row.nutrient.pk)
    data = form_data(curator_client.get(url), form_id="nutrient_form")
    data["name_nl"] = ["Magnesium (nieuw)"]

    response = curator_client.post(url, data)

    assert response.status_code == 302
    row.nutrient.refresh_from_db()
    assert row.nutrient.name_nl == "Magnesium (nieuw)"
