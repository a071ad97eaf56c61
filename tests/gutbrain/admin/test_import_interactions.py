"""Importing interaction rows from a spreadsheet, named by nutrient and class slugs."""

import io

import openpyxl
import pytest
from django.utils.html import escape

from gutbrain.models import Interaction, Level, Reference
from tests import factories
from tests.gutbrain.admin.browser import admin_url, confirm, upload

HEADERS = [
    "nutrient",
    "target",
    "medicine_class",
    "level",
    "advice_nl",
    "advice_en",
    "client_advice_nl",
    "client_advice_en",
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
        "client_advice_nl": "Gebruik dit niet samen met {medicines}.",
        "client_advice_en": "Do not use this together with {medicines}.",
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


PREGNANCY_TEXTS = {
    "client_advice_nl": "Overleg met uw arts of verloskundige als u zwanger bent.",
    "client_advice_en": "Talk to your doctor or midwife if you are pregnant.",
}


def test_an_xlsx_file_of_interactions_is_imported_after_confirmation(curator_client, knowledge):
    content = xlsx(
        row(),
        row(
            target="pregnancy",
            medicine_class=None,
            references=None,
            level="consult",
            **PREGNANCY_TEXTS,
        ),
    )
    preview = upload(curator_client, "interaction", "interacties.xlsx", content, "xlsx")
    assert preview.context["confirm_form"] is not None
    assert Interaction.objects.count() == 0

    response = confirm(curator_client, preview, "interaction")

    assert response.status_code == 302
    by_class = Interaction.objects.get(nutrient__slug="ashwagandha", target="medicine_class")
    assert by_class.medicine_class.slug == "sedatives"
    assert by_class.level == Level.AVOID
    assert by_class.client_advice_nl == "Gebruik dit niet samen met {medicines}."
    assert by_class.client_advice_en == "Do not use this together with {medicines}."
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
    content = xlsx(
        row(
            target="pregnancy",
            medicine_class=None,
            level="none_known",
            client_advice_nl="Er is geen wisselwerking bekend.",
            client_advice_en="No interactions are known.",
        )
    )

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
    content = xlsx(row(), row(target="pregnancy", medicine_class=None, **PREGNANCY_TEXTS))
    preview = upload(curator_client, "interaction", "i.xlsx", content, "xlsx")
    assert preview.context["confirm_form"] is not None
    factories.MedicineClassFactory(slug="sedatives").delete()

    response = confirm(curator_client, preview, "interaction")

    assert response.status_code == 302
    assert response.url == admin_url("interaction", "import")
    assert Interaction.objects.count() == 0
    page = curator_client.get(response.url)
    assert "Nothing was imported" in page.content.decode()


@pytest.mark.parametrize("field", ["client_advice_nl", "client_advice_en"])
def test_a_new_row_without_a_client_text_is_a_row_error_naming_the_field(
    curator_client, knowledge, field
):
    content = xlsx(row(**{field: ""}))

    response = upload(curator_client, "interaction", "i.xlsx", content, "xlsx")

    [invalid] = response.context["result"].invalid_rows
    label = "client text (Dutch)" if field.endswith("_nl") else "client text (English)"
    assert invalid.error_dict == {
        field: [
            f"Write the {label}: it is what the client's handout says about this row. "
            "It is required for every row added or changed."
        ]
    }
    assert Interaction.objects.count() == 0


def test_a_changed_row_without_a_client_text_is_a_row_error(curator_client, knowledge):
    factories.InteractionFactory(
        nutrient=factories.NutrientFactory(slug="ashwagandha"),
        medicine_class=factories.MedicineClassFactory(slug="sedatives"),
        level=Level.MONITOR,
        client_advice_nl="",
        client_advice_en="",
    )
    content = xlsx(row(client_advice_nl="", client_advice_en=""))

    response = upload(curator_client, "interaction", "i.xlsx", content, "xlsx")

    [invalid] = response.context["result"].invalid_rows
    assert set(invalid.error_dict) == {"client_advice_nl", "client_advice_en"}
    assert Interaction.objects.get().level == Level.MONITOR


def test_an_unchanged_row_from_before_the_client_texts_imports_again_as_it_is(
    curator_client, knowledge
):
    """An export of rows no curator has written a client text for yet loads back."""
    existing = factories.InteractionFactory(
        nutrient=factories.NutrientFactory(slug="ashwagandha"),
        medicine_class=factories.MedicineClassFactory(slug="sedatives"),
        level=Level.AVOID,
        advice_nl="Niet combineren met kalmeringsmiddelen.",
        advice_en="Do not combine with sedatives.",
        client_advice_nl="",
        client_advice_en="",
        source_location="Interactieoverzicht",
    )
    existing.references.set(Reference.objects.all())
    content = xlsx(row(client_advice_nl="", client_advice_en=""))

    preview = upload(curator_client, "interaction", "i.xlsx", content, "xlsx")

    assert [r.import_type for r in preview.context["result"].rows] == ["skip"]


def test_a_client_text_with_another_placeholder_is_a_row_error(curator_client, knowledge):
    content = xlsx(row(client_advice_nl="Gebruik dit niet samen met {medicijn}."))

    response = upload(curator_client, "interaction", "i.xlsx", content, "xlsx")

    [invalid] = response.context["result"].invalid_rows
    assert invalid.error_dict == {
        "client_advice_nl": [
            "Unknown placeholder: {medicijn}. The only placeholder a client text may hold is "
            "{medicines}."
        ]
    }


def test_the_preview_shows_levels_and_targets_by_their_labels(curator_client, knowledge):
    pregnancy = row(
        target="pregnancy",
        medicine_class=None,
        client_advice_nl="Gebruik dit niet als u zwanger bent.",
        client_advice_en="Do not use this if you are pregnant.",
    )
    content = xlsx(row(level="avoid"), pregnancy)

    response = upload(curator_client, "interaction", "i.xlsx", content, "xlsx")

    result = response.context["result"]
    assert not result.invalid_rows, [r.error_dict for r in result.invalid_rows]
    [first, second] = [r for r in result.rows if r.diff]
    # In the page's language (the test client's: English here; Dutch by default).
    assert ">advised against<" in " ".join(first.diff)
    assert ">a class of medicines<" in " ".join(first.diff)
    assert ">pregnancy<" in " ".join(second.diff)
    assert ">avoid<" not in " ".join(first.diff)
