"""A medicine class's page shows what it covers; a class that interactions use cannot be
deleted."""

import pytest

from gutbrain.models import MedicineClass
from tests import factories
from tests.gutbrain.admin.browser import admin_url


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
