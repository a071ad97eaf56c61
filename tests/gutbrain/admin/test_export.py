"""Exports name objects by natural key, so the files can be edited and imported again."""

import csv
import io
import json

from gutbrain.models import MedicineClass
from tests import factories
from tests.gutbrain.admin.browser import confirm, export, upload


def _nutrients():
    lemon_balm = factories.NutrientFactory(slug="lemon-balm", name_nl="Citroenmelisse")
    lemon_balm.references.add(
        factories.ReferenceFactory(number=3), factories.ReferenceFactory(number=21)
    )
    factories.NutrientFactory(slug="saffron", name_nl="Saffraan")


def test_nutrients_export_as_csv_with_slugs_dutch_names_and_reference_numbers(curator_client):
    _nutrients()

    response = export(curator_client, "nutrient", "csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["lemon-balm"]["name_nl"] == "Citroenmelisse"
    assert rows["lemon-balm"]["references"] == "3, 21"
    assert rows["saffron"]["name_nl"] == "Saffraan"
    assert "id" not in rows["saffron"]


def test_nutrients_export_as_json(curator_client):
    _nutrients()

    response = export(curator_client, "nutrient", "json")

    rows = {row["slug"]: row for row in json.loads(response.content)}
    assert rows["lemon-balm"]["name_nl"] == "Citroenmelisse"
    assert rows["saffron"]["name_nl"] == "Saffraan"


def test_medicine_classes_export_broader_classes_first_and_import_again(curator_client):
    sedatives = factories.MedicineClassFactory(
        slug="sedatives", name_nl="kalmeringsmiddelen", atc_prefixes="N05"
    )
    factories.MedicineClassFactory(
        slug="benzodiazepines", name_nl="benzodiazepinen", atc_prefixes="N05BA", parent=sedatives
    )

    exported = export(curator_client, "medicineclass", "json").content

    assert [row["slug"] for row in json.loads(exported)] == ["sedatives", "benzodiazepines"]
    MedicineClass.objects.filter(parent__isnull=False).delete()
    MedicineClass.objects.all().delete()
    confirm(
        curator_client,
        upload(curator_client, "medicineclass", "klassen.json", exported, "json"),
        "medicineclass",
    )
    assert MedicineClass.objects.get(slug="benzodiazepines").parent.slug == "sedatives"


def test_medicine_classes_export_the_editors_additions_in_their_own_columns(curator_client):
    factories.MedicineClassFactory(
        slug="anti-epileptics",
        name_nl="anti-epileptica",
        atc_prefixes="N03",
        editor_prefixes="N02BF",
        editor_note_nl="Gabapentinoïden staan sinds ATC 2023 bij N02BF.",
        editor_note_en="Gabapentinoids are filed under N02BF since ATC 2023.",
    )

    response = export(curator_client, "medicineclass", "csv")

    [row] = csv.DictReader(io.StringIO(response.content.decode()))
    assert row["atc_prefixes"] == "N03"
    assert row["editor_prefixes"] == "N02BF"
    assert row["editor_note_nl"] == "Gabapentinoïden staan sinds ATC 2023 bij N02BF."
    assert row["editor_note_en"] == "Gabapentinoids are filed under N02BF since ATC 2023."
