"""Importing medicine classes from JSON, nested by the parent's slug."""

import json

from gutbrain.models import MedicineClass
from tests.gutbrain.admin.browser import confirm, upload


def classes(*rows: dict) -> bytes:
    defaults = {"description_nl": "", "description_en": "", "parent": ""}
    return json.dumps([{**defaults, **row} for row in rows]).encode()


SEDATIVES = {
    "slug": "sedatives",
    "name_nl": "kalmeringsmiddelen",
    "name_en": "sedatives",
    "atc_prefixes": "N05",
}
BENZODIAZEPINES = {
    "slug": "benzodiazepines",
    "name_nl": "benzodiazepinen",
    "name_en": "benzodiazepines",
    "atc_prefixes": "n05ba; N05CD",
    "parent": "sedatives",
}


def test_a_json_file_of_classes_is_imported_with_their_nesting(curator_client):
    preview = upload(
        curator_client, "medicineclass", "klassen.json", classes(SEDATIVES, BENZODIAZEPINES), "json"
    )
    assert preview.context["confirm_form"] is not None

    confirm(curator_client, preview, "medicineclass")

    benzodiazepines = MedicineClass.objects.get(slug="benzodiazepines")
    assert benzodiazepines.parent.slug == "sedatives"
    assert benzodiazepines.atc_prefixes == "N05BA, N05CD"


def test_a_parent_slug_that_names_no_class_is_a_row_error(curator_client):
    response = upload(
        curator_client, "medicineclass", "klassen.json", classes(BENZODIAZEPINES), "json"
    )

    [invalid] = response.context["result"].invalid_rows
    assert invalid.error_dict == {"parent": ["There is no medicine class with slug “sedatives”."]}


def test_a_malformed_atc_prefix_is_a_row_error_and_nothing_is_imported(curator_client):
    content = classes(SEDATIVES, {**BENZODIAZEPINES, "atc_prefixes": "N05BA, N5"})

    response = upload(curator_client, "medicineclass", "klassen.json", content, "json")

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert invalid.error_dict["atc_prefixes"] == [
        "Not an ATC prefix: N5. Use levels of the ATC code, such as N05 or N05BA."
    ]
    assert "Not an ATC prefix: N5." in response.content.decode()
    assert not MedicineClass.objects.exists()
