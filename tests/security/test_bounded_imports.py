"""The admin's import is bounded (issue #11, finding 2): a file over 5 MB or with more than
10,000 rows, and an XLSX that would unpack beyond 50 MB (a zip bomb), are refused with a
message on the import page before anything parses them; and the copy of an upload that
django-import-export keeps for its confirm step (`import_export.tmp_storages`, here
`ImportTempStorage`) is removed whatever the outcome: refused, unreadable, failed,
imported, or never confirmed."""

import io
import os
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from import_export.formats import base_formats

from gutbrain import resources
from gutbrain.models import Nutrient
from tests import factories
from tests.gutbrain.admin.browser import admin_url, confirm, upload

HEADER = "slug,name_nl,name_en,kind\n"


@pytest.fixture(autouse=True)
def kept_folder(monkeypatch, tmp_path) -> Path:
    """The system's temporary folder, for this test alone: where the kept copies go."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return resources.ImportTempStorage.folder()


def kept(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def curator_client(curator) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(curator)
    return client


@pytest.fixture
def not_parsed(monkeypatch) -> list[str]:
    """Fails the test if the import reads a file as a table; lists what it would read."""
    read: list[str] = []

    def refuse(self, *args, **kwargs):
        read.append(type(self).__name__)
        raise AssertionError("the file was parsed")

    for file_format in (base_formats.CSV, base_formats.JSON, base_formats.XLSX):
        monkeypatch.setattr(file_format, "create_dataset", refuse)
    return read


def written() -> tuple[int, int]:
    return Nutrient.objects.count(), LogEntry.objects.count()


def csv_rows(count: int) -> bytes:
    return (HEADER + "".join(f"n{n},N{n},N{n},mineral\n" for n in range(count))).encode()


def xlsx_rows(count: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["slug", "name_nl", "name_en", "kind"])
    for n in range(count):
        sheet.append([f"n{n}", f"N{n}", f"N{n}", "mineral"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """An XLSX-shaped zip of some 60 kB whose one member unpacks to 60 MB of zeros."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(60):
            member.write(b"\0" * (1024 * 1024))
    return out.getvalue()


def file_errors(response) -> list[str]:
    return response.context["form"].errors.get("import_file", [])


# Refused before parsing -------------------------------------------------------------


def test_a_file_over_5_mb_is_refused_before_it_is_parsed(curator_client, kept_folder, not_parsed):
    content = HEADER.encode() + b"x" * resources.MAX_IMPORT_BYTES
    before = written()

    response = upload(curator_client, "nutrient", "groot.csv", content, "csv")

    assert response.status_code == 200
    assert file_errors(response) == [
        "This file is 5.0\xa0MB; files of at most 5.0\xa0MB are imported. Split it, or "
        "import the tables one by one."
    ]
    assert not_parsed == []
    assert "result" not in response.context
    assert written() == before
    assert kept(kept_folder) == []


def json_rows(count: int) -> bytes:
    return b"[" + b",".join([b'{"slug": "x"}'] * count) + b"]"


# The files are made by the test that sends them, not when the tests are collected (by
# every worker).
@pytest.mark.parametrize(
    ("filename", "title", "rows_of"),
    [
        ("veel.csv", "csv", csv_rows),
        ("veel.xlsx", "xlsx", xlsx_rows),
        ("veel.json", "json", json_rows),
    ],
)
def test_a_file_of_more_than_10000_rows_is_refused_before_it_is_parsed(
    curator_client, kept_folder, not_parsed, filename, title, rows_of
):
    content = rows_of(resources.MAX_IMPORT_ROWS + 1)
    before = written()

    response = upload(curator_client, "nutrient", filename, content, title)

    assert file_errors(response) == [
        "This file has more than 10,000 rows; import at most 10,000 at a time."
    ]
    assert not_parsed == []
    assert written() == before
    assert kept(kept_folder) == []


@pytest.mark.parametrize("rows", [resources.MAX_IMPORT_ROWS, 1])
def test_10000_rows_and_fewer_are_within_the_limit(rows):
    for content, file_format in (
        (csv_rows(rows), base_formats.CSV),
        (xlsx_rows(rows), base_formats.XLSX),
    ):
        upload_file = io.BytesIO(content)
        upload_file.size = len(content)

        assert resources.import_file_problem(upload_file, file_format) == ""


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_unopened(
    curator_client, kept_folder, not_parsed, monkeypatch
):
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a))
    content = zip_bomb()
    assert len(content) < 1024 * 1024
    before = written()

    response = upload(curator_client, "nutrient", "bom.xlsx", content, "xlsx")

    assert file_errors(response) == [
        "This spreadsheet unpacks to more than 50.0\xa0MB, which is not read. Save it again "
        "from the spreadsheet program, or import it as CSV."
    ]
    assert opened == []
    assert not_parsed == []
    assert written() == before
    assert kept(kept_folder) == []


def test_the_refusal_is_in_dutch_for_a_dutch_curator(curator, kept_folder):
    client = Client(headers={"accept-language": "nl"})
    client.force_login(curator)

    response = upload(client, "nutrient", "veel.csv", csv_rows(10_001), "csv")

    assert response.context["form"].errors["import_file"] == [
        "Dit bestand heeft meer dan 10.000 rijen; importeer er hoogstens 10.000 tegelijk."
    ]


# The kept copy ------------------------------------------------------------------------


def test_a_file_with_row_errors_leaves_no_copy(curator_client, kept_folder):
    content = (HEADER + "saffron,,Saffron,herb\n").encode()

    response = upload(curator_client, "nutrient", "fout.csv", content, "csv")

    assert "confirm_form" not in response.context
    assert response.context["result"].has_validation_errors()
    assert kept(kept_folder) == []


def test_an_unreadable_file_leaves_no_copy(curator_client, kept_folder):
    response = upload(curator_client, "nutrient", "kapot.xlsx", b"not a spreadsheet", "xlsx")

    assert file_errors(response)
    assert kept(kept_folder) == []


def test_a_good_file_is_kept_for_the_confirm_step_and_removed_once_imported(
    curator_client, kept_folder
):
    preview = upload(curator_client, "nutrient", "goed.csv", csv_rows(2), "csv")
    assert preview.context["confirm_form"] is not None
    assert len(kept(kept_folder)) == 1

    response = confirm(curator_client, preview, "nutrient")

    assert response.status_code == 302
    assert Nutrient.objects.filter(slug__in=["n0", "n1"]).count() == 2
    assert kept(kept_folder) == []


def test_a_confirm_step_that_fails_removes_the_copy(curator_client, kept_folder):
    magnesium = factories.NutrientFactory(slug="magnesium")
    content = b"nutrient,slug,name_nl,name_en,order\nmagnesium,citrate,Citraat,Citrate,1\n"
    preview = upload(curator_client, "nutrientform", "vormen.csv", content, "csv")
    assert len(kept(kept_folder)) == 1
    magnesium.delete()  # the knowledge base changed before the curator confirmed

    response = confirm(curator_client, preview, "nutrientform")

    assert response.status_code == 302
    assert "some rows are no longer valid" in curator_client.get(response.url).content.decode()
    assert kept(kept_folder) == []


def test_a_confirm_step_that_breaks_removes_the_copy(curator_client, kept_folder, monkeypatch):
    preview = upload(curator_client, "nutrient", "goed.csv", csv_rows(1), "csv")
    assert len(kept(kept_folder)) == 1

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("gutbrain.admin.NutrientAdmin.process_dataset", broken)
    curator_client.raise_request_exception = False

    response = confirm(curator_client, preview, "nutrient")

    assert response.status_code == 500
    assert kept(kept_folder) == []


def test_a_preview_nobody_confirms_is_swept_after_an_hour(curator_client, kept_folder):
    upload(curator_client, "nutrient", "vergeten.csv", csv_rows(1), "csv")
    [forgotten] = kept(kept_folder)
    hour_ago = time.time() - resources.ImportTempStorage.KEEP_SECONDS - 1
    os.utime(kept_folder / forgotten, (hour_ago, hour_ago))

    curator_client.get(admin_url("nutrient", "import"))

    assert kept(kept_folder) == []


def test_confirming_a_file_no_longer_kept_imports_nothing_and_says_so(curator_client):
    before = written()

    response = curator_client.post(
        admin_url("nutrient", "process_import"),
        {
            "import_file_name": "tmpgone",
            "original_file_name": "weg.csv",
            "format": "0",
            "resource": "0",
        },
        follow=True,
    )

    assert response.redirect_chain == [(admin_url("nutrient", "import"), 302)]
    assert "Nothing was imported: the uploaded file is no longer kept" in (
        response.content.decode()
    )
    assert written() == before


def test_the_confirm_step_reads_and_removes_only_files_of_its_own_folder(
    curator_client, kept_folder, tmp_path
):
    outside = tmp_path / "someone-elses.csv"
    outside.write_bytes(csv_rows(1))

    response = curator_client.post(
        admin_url("nutrient", "process_import"),
        {
            "import_file_name": "../someone-elses.csv",
            "original_file_name": "x.csv",
            "format": "0",
            "resource": "0",
        },
    )

    assert response.status_code == 302
    assert outside.exists()
    assert not Nutrient.objects.exists()
