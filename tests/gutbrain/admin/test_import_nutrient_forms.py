"""Importing nutrient forms from CSV, named by (nutrient slug, form slug)."""

from gutbrain.models import NutrientForm
from tests import factories
from tests.gutbrain.admin.browser import confirm, upload

HEADER = (
    b"nutrient,slug,name_nl,name_en,application_nl,application_en,"
    b"source_location,references,order\n"
)


def test_forms_are_found_by_nutrient_and_slug(curator_client):
    magnesium = factories.NutrientFactory(slug="magnesium")
    factories.NutrientFormFactory(nutrient=magnesium, slug="citrate", name_nl="Citraat")
    content = HEADER + (
        b"magnesium,citrate,Magnesiumcitraat,Magnesium citrate,,,Tabel 1,,1\n"
        b"magnesium,bisglycinate,Magnesiumbisglycinaat,Magnesium bisglycinate,,,Tabel 1,,2\n"
    )
    preview = upload(curator_client, "nutrientform", "vormen.csv", content, "csv")
    assert [r.import_type for r in preview.context["result"].rows] == ["update", "new"]

    confirm(curator_client, preview, "nutrientform")

    assert dict(magnesium.forms.values_list("slug", "name_nl")) == {
        "citrate": "Magnesiumcitraat",
        "bisglycinate": "Magnesiumbisglycinaat",
    }


def test_a_form_of_an_unknown_nutrient_is_a_row_error(curator_client):
    factories.NutrientFactory(slug="magnesium")
    content = HEADER + (
        b"magnesium,citrate,Magnesiumcitraat,Magnesium citrate,,,,,1\n"
        b"magnezium,oxide,Magnesiumoxide,Magnesium oxide,,,,,2\n"
    )

    response = upload(curator_client, "nutrientform", "vormen.csv", content, "csv")

    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 2
    assert invalid.error_dict["nutrient"] == ["There is no nutrient with slug “magnezium”."]
    assert not NutrientForm.objects.exists()
