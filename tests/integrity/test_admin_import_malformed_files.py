"""Malformed files in the admin's import (CSV, XLSX, JSON): the curator sees what is wrong,
with the row number where there is one, and nothing is written: no row, no history
entry, no admin log entry, not even when the confirm step is posted anyway.

The unknown-slug, unknown-reference and malformed-code cases are in
tests/gutbrain/admin/test_import_*.py; the files are in tests/integrity/data/.
"""

import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.utils.html import escape

from gutbrain.models import (
    HistoricalInteraction,
    HistoricalNutrient,
    Interaction,
    MedicineClass,
    Nutrient,
)
from tests import factories
from tests.gutbrain.admin.browser import admin_url, upload

DATA = Path(__file__).parent / "data"


@pytest.fixture
def curator_client(curator) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(curator)
    return client


@pytest.fixture
def saffron(db) -> Nutrient:
    """A nutrient the files would change: its history has the one entry of its creation."""
    return factories.NutrientFactory(slug="saffron", name_nl="Saffraan", name_en="Saffron")


def written() -> dict[str, int]:
    """What an import writes: rows, their history, the admin's log."""
    return {
        "nutrients": Nutrient.objects.count(),
        "nutrient history": HistoricalNutrient.objects.count(),
        "interactions": Interaction.objects.count(),
        "interaction history": HistoricalInteraction.objects.count(),
        "admin log": LogEntry.objects.count(),
    }


def xlsx(headers: list[str], *rows: list) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def confirm_anyway(client: Client, refused, model_name: str):
    """Posts the confirm step for a file whose preview offered none, as a stale or
    hand-made form would."""
    uploaded = refused.context["form"].cleaned_data
    data = {
        "import_file_name": uploaded["import_file"].tmp_storage_name,
        "original_file_name": uploaded["import_file"].name,
        "format": uploaded["format"],
        "resource": "0",
    }
    return client.post(admin_url(model_name, "process_import"), data)


def test_a_level_that_is_not_a_level_is_a_row_error_and_nothing_is_imported(curator_client):
    factories.NutrientFactory(slug="ashwagandha")
    factories.MedicineClassFactory(slug="sedatives", atc_prefixes="N05")
    content = (DATA / "interactions-bad-level.csv").read_bytes()
    before = written()

    response = upload(curator_client, "interaction", "interacties.csv", content, "csv")

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 2
    assert invalid.error_dict == {"level": ["Value 'dangerous' is not a valid choice."]}
    assert escape("Value 'dangerous' is not a valid choice.") in response.content.decode()
    assert written() == before


def test_a_negative_dose_is_a_row_error_and_the_valid_row_is_not_imported(curator_client, saffron):
    content = (DATA / "nutrients-negative-dose.csv").read_bytes()
    before = written()

    response = upload(curator_client, "nutrient", "nutrienten.csv", content, "csv")

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 2
    assert invalid.error_count == 1
    assert "Some rows failed to validate" in response.content.decode()
    saffron.refresh_from_db()
    assert (saffron.name_nl, saffron.usual_dose_amount) == ("Saffraan", None)
    assert written() == before


def test_a_negative_dose_is_reported_on_the_dose_column(curator_client, saffron):
    content = (DATA / "nutrients-negative-dose.csv").read_bytes()

    response = upload(curator_client, "nutrient", "nutrienten.csv", content, "csv")

    invalid = response.context["result"].invalid_rows
    assert [list(row.error_dict) for row in invalid] == [["usual_dose_amount"]]


def test_a_missing_required_column_fails_the_new_rows_and_nothing_is_imported(
    curator_client, saffron
):
    content = (DATA / "nutrients-without-kind.csv").read_bytes()
    before = written()

    response = upload(curator_client, "nutrient", "nutrienten.csv", content, "csv")

    assert "confirm_form" not in response.context
    invalid = response.context["result"].invalid_rows
    # Saffron exists and keeps its kind; zinc would be new and has none.
    assert [(row.number, row.error_dict) for row in invalid] == [
        (2, {"kind": ["This field cannot be blank."]})
    ]
    assert Nutrient.objects.get().name_nl == "Saffraan"
    assert written() == before


def test_a_file_without_the_key_column_is_refused_naming_it(curator_client, saffron):
    content = (DATA / "nutrients-without-slug.csv").read_bytes()
    before = written()

    response = upload(curator_client, "nutrient", "nutrienten.csv", content, "csv")

    assert "confirm_form" not in response.context
    assert "are not present in the file headers: slug" in response.content.decode()
    assert written() == before


def test_a_file_error_shows_no_python_traceback(curator_client, saffron):
    content = (DATA / "nutrients-without-slug.csv").read_bytes()

    response = upload(curator_client, "nutrient", "nutrienten.csv", content, "csv")

    assert "Traceback" not in response.content.decode()


def test_a_csv_that_is_not_utf8_is_refused_as_a_whole(curator_client, saffron):
    content = (DATA / "nutrients-windows-1252.csv").read_bytes()
    before = written()

    response = upload(curator_client, "nutrient", "nutrienten.csv", content, "csv")

    assert "result" not in response.context
    assert response.context["form"].errors["import_file"] == [
        "'UnicodeDecodeError' encountered while trying to read file. "
        "Ensure you have chosen the correct format for the file."
    ]
    assert written() == before


def test_a_csv_saved_by_excel_with_a_byte_order_mark_is_read(curator_client, saffron):
    content = (DATA / "nutrients-excel-utf8-bom.csv").read_bytes()

    response = upload(curator_client, "nutrient", "nutrienten.csv", content, "csv")

    assert response.context["confirm_form"] is not None
    assert [row.import_type for row in response.context["result"].rows] == ["update"]


def test_an_xlsx_with_one_bad_row_imports_none_of_its_rows(curator_client, saffron):
    content = xlsx(
        ["slug", "name_nl", "name_en", "kind", "figure_number"],
        ["saffron", "Saffraan (nieuw)", "Saffron (new)", "herb", 15],
        ["zinc", "Zink", "Zinc", "mineral", None],
        ["lemon-balm", "", "Lemon balm", "plant", 16],
    )
    before = written()

    response = upload(curator_client, "nutrient", "nutrienten.xlsx", content, "xlsx")

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 3
    assert invalid.error_dict == {
        "name_nl": ["This field cannot be blank."],
        "kind": ["Value 'plant' is not a valid choice."],
    }
    assert written() == before
    assert saffron.history.count() == 1


def test_a_word_in_a_number_column_fails_its_row_and_imports_nothing(curator_client, saffron):
    content = xlsx(
        ["slug", "name_nl", "name_en", "kind", "figure_number"],
        ["saffron", "Saffraan (nieuw)", "Saffron (new)", "herb", 15],
        ["zinc", "Zink", "Zinc", "mineral", "drie"],
    )
    before = written()

    response = upload(curator_client, "nutrient", "nutrienten.xlsx", content, "xlsx")

    assert "confirm_form" not in response.context
    assert [row.number for row in response.context["result"].invalid_rows] == [2]
    assert "“drie” is not a number." in response.content.decode()
    assert written() == before


def test_a_word_in_a_number_column_is_reported_on_that_column(curator_client, saffron):
    content = xlsx(
        ["slug", "name_nl", "name_en", "kind", "figure_number"],
        ["zinc", "Zink", "Zinc", "mineral", "drie"],
    )

    response = upload(curator_client, "nutrient", "nutrienten.xlsx", content, "xlsx")

    invalid = response.context["result"].invalid_rows
    assert [list(row.error_dict) for row in invalid] == [["figure_number"]]


@pytest.mark.parametrize(
    ("filename", "problem"),
    [
        ("medicine-classes-not-a-list.json", "UnsupportedFormat"),
        ("medicine-classes-cut-short.json", "JSONDecodeError"),
    ],
)
def test_a_json_file_that_is_not_a_list_of_rows_is_refused_as_a_whole(
    curator_client, filename, problem
):
    content = (DATA / filename).read_bytes()

    response = upload(curator_client, "medicineclass", "klassen.json", content, "json")

    [message] = response.context["form"].errors["import_file"]
    assert message.startswith(f"'{problem}' encountered while trying to read file.")
    assert "result" not in response.context
    assert not MedicineClass.objects.exists()


def test_posting_the_confirm_step_for_a_refused_file_imports_nothing(curator_client, saffron):
    content = (DATA / "nutrients-negative-dose.csv").read_bytes()
    before = written()
    refused = upload(curator_client, "nutrient", "nutrienten.csv", content, "csv")
    assert "confirm_form" not in refused.context

    response = confirm_anyway(curator_client, refused, "nutrient")

    assert response.status_code == 302
    assert response.url == admin_url("nutrient", "import")
    assert "Nothing was imported" in curator_client.get(response.url).content.decode()
    assert written() == before


def test_the_confirm_step_of_a_file_with_a_missing_key_column_imports_nothing(
    curator_client, saffron
):
    content = (DATA / "nutrients-without-slug.csv").read_bytes()
    before = written()
    refused = upload(curator_client, "nutrient", "nutrienten.csv", content, "csv")

    response = confirm_anyway(curator_client, refused, "nutrient")

    assert response.status_code == 302
    assert response.url == admin_url("nutrient", "import")
    assert written() == before
