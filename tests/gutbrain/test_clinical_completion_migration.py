"""The data migration `gutbrain.0005_clinical_completion`: it brings a database that holds
the first edition of the knowledge base to what `fixtures/knowledge_base.json` holds now,
leaves curators' own edits alone, does nothing on an empty database, and its reverse
undoes exactly what it did."""

import importlib
from decimal import Decimal

from django.apps import apps

from gutbrain.models import EvidenceOutcome, EvidenceSummary, Medicine, MedicineClass, Nutrient
from tests.factories import MedicineClassFactory, MedicineFactory, NutrientFactory

migration = importlib.import_module("gutbrain.migrations.0005_clinical_completion")


def complete() -> None:
    migration.complete(apps, schema_editor=None)


def uncomplete() -> None:
    migration.uncomplete(apps, schema_editor=None)


def knowledge() -> dict[str, list[dict]]:
    """Every row the migration may touch, as plain values."""
    references = {
        summary.pk: sorted(ref.number for ref in summary.references.all())
        for summary in EvidenceSummary.objects.prefetch_related("references")
    }
    return {
        "classes": list(MedicineClass.objects.order_by("pk").values()),
        "medicines": list(Medicine.objects.order_by("pk").values()),
        "nutrients": list(Nutrient.objects.order_by("pk").values()),
        "summaries": [
            {**row, "references": references[row["id"]]}
            for row in EvidenceSummary.objects.order_by("pk").values()
        ],
        "outcomes": list(EvidenceOutcome.objects.order_by("pk").values()),
    }


def test_on_an_empty_database_it_does_nothing(db):
    complete()

    assert not Medicine.objects.exists()
    assert not MedicineClass.objects.exists()


def test_the_reverse_gives_the_first_edition(knowledge_base):
    uncomplete()

    assert not MedicineClass.objects.exclude(editor_prefixes="").exists()
    assert not MedicineClass.objects.exclude(editor_note_nl="").exists()
    medicines = dict(Medicine.objects.values_list("atc_code", "name"))
    assert len(medicines) == 36
    assert medicines["N06AF03"] == "phenelzine"
    assert medicines["S01EB01"] == "pilocarpine (eye drops)"
    assert set(Nutrient.objects.values_list("dose_basis", flat=True)) == {"usual"}
    outcome = EvidenceOutcome.objects.get(summary__nutrient__slug="saffron", order=1)
    assert (outcome.intervention_change, outcome.comparator_change) == (
        Decimal("-50"),
        Decimal("-20"),
    )
    assert outcome.result_en.startswith("After 6 weeks, over 50% fewer")
    [review] = EvidenceSummary.objects.filter(design="review")
    assert (review.nutrient.slug, review.indication.slug, review.title_nl) == (
        "probiotics",
        "depressive-feelings-burnout",
        "Pre- en probiotica bij mentale aandoeningen (review)",
    )


def test_on_the_first_edition_it_gives_what_the_fixture_holds(knowledge_base):
    second_edition = knowledge()
    uncomplete()

    complete()

    after = knowledge()
    # New rows get new ids; everything else is as the fixture has it.
    for table in after:
        assert len(after[table]) == len(second_edition[table]), table
    for table in ["classes", "nutrients", "outcomes"]:
        assert after[table] == second_edition[table], table

    def without_ids(rows: list[dict]) -> list[dict]:
        return sorted(({k: v for k, v in r.items() if k != "id"} for r in rows), key=repr)

    assert without_ids(after["medicines"]) == without_ids(second_edition["medicines"])
    assert without_ids(after["summaries"]) == without_ids(second_edition["summaries"])


def test_running_it_twice_changes_nothing_more(knowledge_base):
    before = knowledge()

    complete()

    assert knowledge() == before


def test_a_curators_own_edits_are_left_alone_both_ways(db):
    NutrientFactory(
        slug="saffron", usual_dose_amount=30, usual_dose_unit="mg", usual_dose_nl="30 mg"
    )
    MedicineClassFactory(
        slug="anti-epileptics",
        atc_prefixes="N03",
        editor_prefixes="N02BF02",
        editor_note_nl="Pregabaline, door de curator.",
    )
    MedicineFactory(atc_code="N03AE01", name="Rivotril")
    MedicineFactory(atc_code="L04AD01", name="ciclosporine (Neoral)")
    before = knowledge()

    complete()
    uncomplete()

    assert knowledge() == before
    assert Medicine.objects.get(atc_code="N03AE01").name == "Rivotril"
    assert MedicineClass.objects.get().editor_prefixes == "N02BF02"
    assert Nutrient.objects.get().dose_basis == "usual"
