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
        "Not an ATC prefix: N5. A prefix is the start of an ATC code, from its main group "
        "letter (A, B, C, D, G, H, J, L, M, N, P, R, S or V) up to the whole code, such as "
        "N05, N05BA or N05BA04."
    ]
    assert "Not an ATC prefix: N5." in response.content.decode()
    assert not MedicineClass.objects.exists()


def test_the_editors_additions_are_imported_apart_from_the_brochures_prefixes(curator_client):
    addition = {
        "editor_prefixes": "n03ae; N03AA",
        "editor_note_nl": "Clonazepam (N03AE01) en fenobarbital (N03AA02) kalmeren ook.",
        "editor_note_en": "Clonazepam (N03AE01) and phenobarbital (N03AA02) sedate too.",
    }
    preview = upload(
        curator_client, "medicineclass", "klassen.json", classes({**SEDATIVES, **addition}), "json"
    )

    confirm(curator_client, preview, "medicineclass")

    sedatives = MedicineClass.objects.get(slug="sedatives")
    assert sedatives.atc_prefixes == "N05"
    assert sedatives.editor_prefixes == "N03AE, N03AA"
    assert sedatives.editor_note_nl == addition["editor_note_nl"]
    assert sedatives.editor_note_en == addition["editor_note_en"]


def test_a_file_without_the_editors_columns_keeps_the_additions(curator_client):
    MedicineClass.objects.create(
        slug="sedatives",
        name_nl="kalmeringsmiddelen",
        name_en="sedatives",
        atc_prefixes="N05",
        editor_prefixes="R06AD02",
        editor_note_nl="Promethazine wordt als kalmeringsmiddel gebruikt.",
    )
    renamed = {**SEDATIVES, "name_en": "sedatives / tranquillisers"}

    confirm(
        curator_client,
        upload(curator_client, "medicineclass", "klassen.json", classes(renamed), "json"),
        "medicineclass",
    )

    sedatives = MedicineClass.objects.get(slug="sedatives")
    assert sedatives.name_en == "sedatives / tranquillisers"
    assert sedatives.editor_prefixes == "R06AD02"


def test_additions_without_a_dutch_note_are_a_row_error(curator_client):
    addition = {"editor_prefixes": "N03AE", "editor_note_nl": "", "editor_note_en": "Why."}

    response = upload(
        curator_client, "medicineclass", "klassen.json", classes({**SEDATIVES, **addition}), "json"
    )

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert invalid.error_dict == {
        "editor_note_nl": [
            "Give the reason for the editors' additions in the editors' note (Dutch)."
        ]
    }
    assert not MedicineClass.objects.exists()


def test_an_unreal_editors_prefix_is_a_row_error(curator_client):
    addition = {"editor_prefixes": "N03AE, Z99", "editor_note_nl": "Reden."}

    response = upload(
        curator_client, "medicineclass", "klassen.json", classes({**SEDATIVES, **addition}), "json"
    )

    [invalid] = response.context["result"].invalid_rows
    assert list(invalid.error_dict) == ["editor_prefixes"]
    assert invalid.error_dict["editor_prefixes"][0].startswith("Not an ATC prefix: Z99.")
    assert not MedicineClass.objects.exists()
