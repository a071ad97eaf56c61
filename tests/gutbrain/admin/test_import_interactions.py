"""Importing interaction rows from a spreadsheet, named by nutrient and class slugs."""

import io

import openpyxl
import pytest
from django.utils.html import escape

from gutbrain.models import Interaction, Level
from tests import factories
from tests.gutbrain.admin.browser import admin_url, confirm, upload

HEADERS = [
    "nutrient",
    "target",
    "medicine_class",
    "level",
    "advice_nl",
    "advice_en",
    "evidence_level",
    "source_location",
    "references",
]


def xlsx(*rows: list) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(nutrient="ashwagandha", target="medicine_class", medicine_class="sedatives", **kw):
    values = {
        "level": "avoid",
        "advice_nl": "Niet combineren met kalmeringsmiddelen.",
        "advice_en": "Do not combine with sedatives.",
        "evidence_level": "practice_advice",
        "source_location": "Interactieoverzicht",
        "references": "12, 14",
        **kw,
    }
    return [nutrient, target, medicine_class, *(values[h] for h in HEADERS[3:])]


@pytest.fixture
def knowledge(db):
    factories.NutrientFactory(slug="ashwagandha")
    factories.MedicineClassFactory(slug="sedatives", atc_prefixes="N05")
    factories.ReferenceFactory(number=12)
    factories.ReferenceFactory(number=14)


def test_an_xlsx_file_of_interactions_is_imported_after_confirmation(curator_client, knowledge):
    content = xlsx(
        row(),
        row(target="pregnancy", medicine_class=None, references=None, level="consult"),
    )
    preview = upload(curator_client, "interaction", "interacties.xlsx", content, "xlsx")
    assert preview.context["confirm_form"] is not None
    assert Interaction.objects.count() == 0

    response = confirm(curator_client, preview, "interaction")

    assert response.status_code == 302
    by_class = Interaction.objects.get(nutrient__slug="ashwagandha", target="medicine_class")
    assert by_class.medicine_class.slug == "sedatives"
    assert by_class.level == Level.AVOID
    assert sorted(by_class.references.values_list("number", flat=True)) == [12, 14]
    pregnancy = Interaction.objects.get(target="pregnancy")
    assert (pregnancy.level, pregnancy.medicine_class) == (Level.CONSULT, None)
    assert not pregnancy.references.exists()


def test_a_row_for_an_existing_nutrient_and_class_updates_that_row(curator_client, knowledge):
    existing = factories.InteractionFactory(
        nutrient=factories.NutrientFactory(slug="ashwagandha"),
        medicine_class=factories.MedicineClassFactory(slug="sedatives"),
        level=Level.MONITOR,
    )
    preview = upload(curator_client, "interaction", "i.xlsx", xlsx(row()), "xlsx")

    confirm(curator_client, preview, "interaction")

    existing.refresh_from_db()
    assert existing.level == Level.AVOID
    assert Interaction.objects.count() == 1


def test_an_unknown_nutrient_slug_is_a_row_error(curator_client, knowledge):
    content = xlsx(row(), row(nutrient="mandrake"))

    response = upload(curator_client, "interaction", "i.xlsx", content, "xlsx")

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 2
    assert invalid.error_dict == {"nutrient": ["There is no nutrient with slug “mandrake”."]}
    assert escape("There is no nutrient with slug “mandrake”.") in response.content.decode()
    assert Interaction.objects.count() == 0


def test_an_unknown_reference_number_is_a_row_error(curator_client, knowledge):
    response = upload(
        curator_client, "interaction", "i.xlsx", xlsx(row(references="12, 99")), "xlsx"
    )

    [invalid] = response.context["result"].invalid_rows
    assert invalid.error_dict["references"] == [
        "Unknown reference numbers: 99. Add the references first."
    ]


def test_none_known_on_a_class_row_is_a_row_error(curator_client, knowledge):
    content = xlsx(row(level="none_known"))

    response = upload(curator_client, "interaction", "i.xlsx", content, "xlsx")

    [invalid] = response.context["result"].invalid_rows
    assert "not of one class" in " ".join(invalid.error_dict["level"])
    assert Interaction.objects.count() == 0


def test_none_known_on_a_pregnancy_row_is_a_curated_statement(curator_client, knowledge):
    content = xlsx(row(target="pregnancy", medicine_class=None, level="none_known"))

    response = upload(curator_client, "interaction", "i.xlsx", content, "xlsx")

    assert not response.context["result"].invalid_rows


def test_none_known_on_a_pregnancy_row_without_a_reference_is_a_row_error(
    curator_client, knowledge
):
    content = xlsx(
        row(target="pregnancy", medicine_class=None, level="none_known", references=""),
        row(target="breastfeeding", medicine_class=None, level="none_known", references=None),
    )

    response = upload(curator_client, "interaction", "i.xlsx", content, "xlsx")

    invalid = response.context["result"].invalid_rows
    assert [r.error_dict["references"] for r in invalid] == [
        ["'No interactions known' in pregnancy or breastfeeding needs the reference that says so."]
    ] * 2
    assert Interaction.objects.count() == 0


def test_nothing_is_imported_when_the_file_no_longer_fits_at_confirmation(
    curator_client, knowledge
):
    content = xlsx(row(), row(target="pregnancy", medicine_class=None))
    preview = upload(curator_client, "interaction", "i.xlsx", content, "xlsx")
    assert preview.context["confirm_form"] is not None
    factories.MedicineClassFactory(slug="sedatives").delete()

    response = confirm(curator_client, preview, "interaction")

    assert response.status_code == 302
    assert response.url == admin_url("interaction", "import")
    assert Interaction.objects.count() == 0
    page = curator_client.get(response.url)
    assert "Nothing was imported" in page.content.decode()
