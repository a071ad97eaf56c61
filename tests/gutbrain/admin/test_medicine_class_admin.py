"""A medicine class's page shows what it covers; the editors' additions are kept apart from
the brochure's prefixes, each with its reason; a class that interactions use cannot be
deleted."""

import pytest

from gutbrain.models import MedicineClass
from tests import factories
from tests.gutbrain.admin.browser import admin_url, form_data


@pytest.fixture
def sedatives(db) -> MedicineClass:
    sedatives = factories.MedicineClassFactory(
        slug="sedatives", name_nl="kalmeringsmiddelen", atc_prefixes="N05"
    )
    factories.MedicineClassFactory(
        slug="benzodiazepines", name_nl="benzodiazepinen", atc_prefixes="N05BA", parent=sedatives
    )
    factories.MedicineFactory(name="oxazepam", atc_code="N05BA04")
    factories.MedicineFactory(name="sertraline", atc_code="N06AB06")
    return sedatives


def test_the_page_links_the_nested_classes_and_the_medicines_it_covers(curator_client, sedatives):
    benzodiazepines = MedicineClass.objects.get(slug="benzodiazepines")
    oxazepam = factories.MedicineFactory(atc_code="N05BA04")

    response = curator_client.get(admin_url("medicineclass", "change", sedatives.pk))

    html = response.content.decode()
    assert f'<a href="{admin_url("medicineclass", "change", benzodiazepines.pk)}">' in html
    assert (
        f'<a href="{admin_url("medicine", "change", oxazepam.pk)}">oxazepam (N05BA04)</a>' in html
    )
    assert "sertraline" not in html


def test_the_medicine_changelist_filters_by_class_including_nested_classes(
    curator_client, sedatives
):
    factories.MedicineFactory(name="temazepam", atc_code="N05CD07")

    response = curator_client.get(
        admin_url("medicine", "changelist"), {"medicine_class": str(sedatives.pk)}
    )

    assert [m.name for m in response.context["cl"].result_list] == ["oxazepam", "temazepam"]


def test_a_class_used_by_an_interaction_is_not_deleted(curator_client, sedatives):
    benzodiazepines = MedicineClass.objects.get(slug="benzodiazepines")
    interaction = factories.InteractionFactory(medicine_class=benzodiazepines)
    url = admin_url("medicineclass", "delete", benzodiazepines.pk)

    page = curator_client.get(url)
    response = curator_client.post(url, {"post": "yes"})

    assert str(interaction) in " ".join(str(p) for p in page.context["protected"])
    assert response.status_code == 200
    assert response.context["protected"]
    assert MedicineClass.objects.filter(pk=benzodiazepines.pk).exists()


def test_the_editors_additions_are_saved_with_their_reason(curator_client, sedatives):
    url = admin_url("medicineclass", "change", sedatives.pk)
    data = form_data(curator_client.get(url), form_id="medicineclass_form")
    data.update(
        editor_prefixes=["r06ad02; n03aa"],
        editor_note_nl=["Promethazine en barbituraten kalmeren ook."],
        editor_note_en=["Promethazine and barbiturates sedate too."],
    )

    response = curator_client.post(url, data)

    assert response.status_code == 302
    sedatives.refresh_from_db()
    assert sedatives.atc_prefixes == "N05"
    assert sedatives.editor_prefixes == "R06AD02, N03AA"
    assert sedatives.editor_note_nl == "Promethazine en barbituraten kalmeren ook."


def test_additions_without_a_reason_are_refused_on_the_note(curator_client, sedatives):
    url = admin_url("medicineclass", "change", sedatives.pk)
    data = form_data(curator_client.get(url), form_id="medicineclass_form")
    data.update(editor_prefixes=["R06AD02"], editor_note_nl=[""])

    response = curator_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "editor_note_nl": [
            "Give the reason for the editors' additions in the editors' note (Dutch)."
        ]
    }
    sedatives.refresh_from_db()
    assert sedatives.editor_prefixes == ""


def test_the_changelist_shows_the_additions_apart_and_filters_on_them(curator_client, sedatives):
    sedatives.editor_prefixes = "R06AD02"
    sedatives.editor_note_nl = "Promethazine wordt als kalmeringsmiddel gebruikt."
    sedatives.save()
    url = admin_url("medicineclass", "changelist")

    page = curator_client.get(url)
    with_additions = curator_client.get(url, {"editor_additions": "yes"})
    without = curator_client.get(url, {"editor_additions": "no"})

    html = page.content.decode()
    assert '<td class="field-atc_prefixes">N05</td>' in html
    assert '<td class="field-editor_additions">R06AD02</td>' in html
    assert '<td class="field-editor_additions">-</td>' in html
    assert [c.slug for c in with_additions.context["cl"].result_list] == ["sedatives"]
    assert [c.slug for c in without.context["cl"].result_list] == ["benzodiazepines"]


def test_the_medicines_the_additions_bring_in_are_listed_with_the_class(curator_client, sedatives):
    sedatives.editor_prefixes = "R06AD02"
    sedatives.editor_note_nl = "Promethazine wordt als kalmeringsmiddel gebruikt."
    sedatives.save()
    factories.MedicineFactory(name="promethazine", atc_code="R06AD02")

    response = curator_client.get(admin_url("medicineclass", "change", sedatives.pk))

    assert "promethazine (R06AD02)" in response.content.decode()
