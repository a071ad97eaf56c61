"""The client texts of the interaction table (`client_advice_nl`, `client_advice_en`), as
the knowledge base ships them: every row has both, each one plain instruction to the
client, without the codes, class names and level jargon of the staff pages."""

import importlib
import re

import pytest

from gutbrain.models import MEDICINES_PLACEHOLDER, Interaction

migration = importlib.import_module("gutbrain.migrations.0007_interaction_client_advice")

pytestmark = pytest.mark.usefixtures("knowledge_base")

ATC_CODE = re.compile(r"[A-Z]\d\d[A-Z]{2}\d\d")
# Level and class jargon of the staff pages, and the word "ATC" itself ("Watch" is fine).
JARGON = re.compile(r"monitoren|psychofarmaca|\bATC\b", re.IGNORECASE)


def rows() -> list[Interaction]:
    return list(Interaction.objects.select_related("nutrient", "medicine_class"))


def key(row: Interaction) -> tuple[str, str, str | None]:
    return (
        row.nutrient.slug,
        row.target,
        row.medicine_class.slug if row.medicine_class else None,
    )


def test_every_row_has_a_client_text_in_both_languages():
    missing = [key(r) for r in rows() if not (r.client_advice_nl and r.client_advice_en)]

    assert Interaction.objects.count() == 42
    assert missing == []


@pytest.mark.parametrize("field", ["client_advice_nl", "client_advice_en"])
def test_no_client_text_holds_an_atc_code_or_jargon(field):
    for row in rows():
        text = getattr(row, field)
        assert not ATC_CODE.search(text), (key(row), text)
        assert not JARGON.search(text), (key(row), text)


def test_the_dutch_texts_of_findings_address_the_client():
    for row in rows():
        if row.level == "none_known":  # no finding: the handout says nothing is known
            continue
        words = set(re.findall(r"\w+", row.client_advice_nl.lower()))
        # "u"/"uw" addresses the client; a bare imperative ("Gebruik dit niet …") too.
        assert words & {"u", "uw"} or row.client_advice_nl.startswith("Gebruik"), key(row)
        assert "behandelend arts" not in row.client_advice_nl, key(row)


def test_the_medicines_placeholder_is_only_in_rows_about_medicines():
    for row in rows():
        named = MEDICINES_PLACEHOLDER in row.client_advice_nl
        assert named == (MEDICINES_PLACEHOLDER in row.client_advice_en), key(row)
        if named:
            assert row.target in {"medicine_class", "any_medicine"}, key(row)
        rest = row.client_advice_nl.replace(MEDICINES_PLACEHOLDER, "")
        assert "{" not in rest and "}" not in rest, key(row)


def test_the_client_texts_keep_the_strength_of_the_brochure():
    texts = {key(r): (r.level, r.client_advice_nl) for r in rows()}

    assert texts[("ashwagandha", "pregnancy", None)] == (
        "avoid",
        "Gebruik dit niet als u zwanger bent of borstvoeding geeft.",
    )
    assert texts[("valerian", "breastfeeding", None)] == (
        "avoid",
        "Gebruik dit niet als u zwanger bent of borstvoeding geeft.",
    )
    assert texts[("ashwagandha", "medicine_class", "sedatives")] == (
        "monitor",
        "U gebruikt ook een kalmeringsmiddel. Let op of uw medicijn anders werkt en overleg "
        "met uw arts.",
    )
    assert texts[("magnesium", "any_medicine", None)] == (
        "separate_intake",
        "Neem magnesium niet tegelijk met {medicines}: neem het 2 uur vóór of 4 uur ná uw "
        "medicijnen in.",
    )
    assert texts[("valerian", "any_medicine", None)] == (
        "consult",
        "Overleg eerst met uw arts voordat u dit gaat gebruiken naast {medicines}.",
    )
    assert texts[("tryptophan", "medicine_class", "mao-inhibitors")] == (
        "avoid",
        "Gebruik dit niet samen met {medicines}.",
    )
    # Every row of a level says what that level asks: never weaker, never stronger.
    for level, text in texts.values():
        if level == "consult":
            assert text.startswith("Overleg eerst met uw arts"), text
        elif level == "monitor":
            assert text.endswith("en overleg met uw arts."), text
        elif level == "avoid":
            assert text.startswith("Gebruik dit niet"), text
        elif level == "none_known":
            assert text == "Er is geen wisselwerking met medicijnen bekend.", text


def test_the_fixture_holds_the_texts_the_migration_fills_in():
    """A database migrated from before the client texts gets the fixture's very texts."""
    fixture = {key(r): (r.level, r.client_advice_nl, r.client_advice_en) for r in rows()}

    assert fixture == migration.CLIENT_ADVICE
