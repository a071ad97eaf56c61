"""The data migration `gutbrain.0008_brochure_spelling_corrected`: it brings a database
that holds the brochure's spelling to what `fixtures/knowledge_base.json` holds now, says
so on every corrected text, names the two food hypersensitivities of figure 1 apart,
leaves curators' own edits alone, and its reverse undoes exactly what it did."""

import importlib

from django.apps import apps

from gutbrain.models import (
    EvidenceOutcome,
    EvidenceSummary,
    Indication,
    Interaction,
    Medicine,
    MedicineClass,
    Nutrient,
    NutrientForm,
    Topic,
)
from tests.factories import NutrientFactory, TopicFactory

migration = importlib.import_module("gutbrain.migrations.0008_brochure_spelling_corrected")

MODELS = [
    EvidenceOutcome,
    EvidenceSummary,
    Indication,
    Interaction,
    Medicine,
    MedicineClass,
    Nutrient,
    NutrientForm,
    Topic,
]


def correct() -> None:
    migration.correct(apps, schema_editor=None)


def uncorrect() -> None:
    migration.uncorrect(apps, schema_editor=None)


def knowledge() -> dict[str, list[dict]]:
    """Every row the migration may touch, as plain values."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def dutch_text() -> str:
    """Every text of the knowledge base a Dutch reader sees, in one string."""
    return "\n".join(
        str(value)
        for rows in knowledge().values()
        for row in rows
        for name, value in row.items()
        if isinstance(value, str) and not name.endswith("_en")
    )


def test_on_an_empty_database_it_does_nothing(db):
    correct()

    assert not any(model.objects.exists() for model in MODELS)


def test_the_reverse_gives_the_brochures_spelling(knowledge_base):
    uncorrect()

    text = dutch_text()
    for wording in [
        "tryptofaan rijke voeding",
        "serotonine niveau op pijl",
        "immuun-onderdrukkers",
        "Significante sterkere daling van alle stress-schalen",
        "mindfulness verbeteren het herstel",
        "Vanwege deze tweezijdige communicatie, kan",
    ]:
        assert wording in text, wording
    assert "spelling gecorrigeerd" not in text.lower()
    assert Medicine.objects.get(atc_code="A02BC01").name == "omeprazole"
    assert set(
        Indication.objects.filter(slug__startswith="food-").values_list("name_nl", flat=True)
    ) == {"Voedselovergevoeligheden"}


def test_on_the_brochures_spelling_it_gives_what_the_fixture_holds(knowledge_base):
    corrected = knowledge()
    uncorrect()

    correct()

    assert knowledge() == corrected


def test_running_it_twice_changes_nothing_more(knowledge_base):
    before = knowledge()

    correct()

    assert knowledge() == before


def test_a_curators_own_edits_are_left_alone_both_ways(db):
    # Rewritten by a curator: the brochure's wording is gone, so no correction and no note.
    NutrientFactory(
        slug="tryptophan",
        description_nl="Een voeding rijk aan tryptofaan helpt.",
        description_en="A diet rich in tryptophan helps.",
    )
    TopicFactory(slug="serotonin", body_nl="Eigen tekst van de curator.", body_en="Own text.")
    before = knowledge()

    correct()

    assert knowledge() == before
    uncorrect()
    assert knowledge() == before


def test_only_the_old_wording_is_replaced_and_the_rest_of_a_text_kept(db):
    NutrientFactory(
        slug="tryptophan",
        description_nl="Aangevuld door de curator. Een tryptofaan rijke voeding helpt.",
        description_en="Added by the curator. A tryptophan-rich diet helps.",
    )

    correct()

    nutrient = Nutrient.objects.get()
    assert nutrient.description_nl == (
        "Aangevuld door de curator. Een tryptofaanrijke voeding helpt.\n\n"
        "Spelling gecorrigeerd ten opzichte van de brochure; de inhoud is ongewijzigd."
    )
    assert nutrient.description_en.endswith(
        "\n\nThe spelling of the Dutch text was corrected from the brochure; the content is "
        "unchanged."
    )
    uncorrect()
    nutrient.refresh_from_db()
    assert nutrient.description_nl == (
        "Aangevuld door de curator. Een tryptofaan rijke voeding helpt."
    )
    assert nutrient.description_en == "Added by the curator. A tryptophan-rich diet helps."
