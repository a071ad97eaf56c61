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
