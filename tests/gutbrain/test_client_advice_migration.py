"""The data migration `gutbrain.0007_interaction_client_advice`: it fills the client texts
into a database that already holds the knowledge base, with what
`fixtures/knowledge_base.json` holds, and leaves the rows a curator added or changed
empty, for the curator to write."""

import importlib

from django.apps import apps

from gutbrain.models import Interaction, Level
from tests.factories import InteractionFactory, MedicineClassFactory, NutrientFactory

migration = importlib.import_module("gutbrain.migrations.0007_interaction_client_advice")


def fill() -> None:
    migration.fill(apps, schema_editor=None)


def client_texts() -> dict[int, tuple[str, str]]:
    return {
        pk: (nl, en)
        for pk, nl, en in Interaction.objects.values_list(
            "pk", "client_advice_nl", "client_advice_en"
        )
    }


def test_on_an_empty_database_it_does_nothing(db):
    fill()

    assert not Interaction.objects.exists()


def test_on_a_knowledge_base_without_client_texts_it_gives_what_the_fixture_holds(
    knowledge_base,
):
    shipped = client_texts()
    Interaction.objects.update(client_advice_nl="", client_advice_en="")

    fill()

    assert client_texts() == shipped
    assert all(nl and en for nl, en in shipped.values())


def test_running_it_twice_changes_nothing_more(knowledge_base):
    before = client_texts()

    fill()

    assert client_texts() == before


def test_a_curators_own_text_is_left_alone(knowledge_base):
    row = Interaction.objects.get(nutrient__slug="valerian", target="any_medicine")
    Interaction.objects.filter(pk=row.pk).update(
        client_advice_nl="Vertel uw huisarts dat u valeriaan gebruikt.",
        client_advice_en="",
    )

    fill()

    row.refresh_from_db()
    assert row.client_advice_nl == "Vertel uw huisarts dat u valeriaan gebruikt."
    assert row.client_advice_en == ""


def test_rows_a_curator_added_or_gave_another_level_stay_empty(db):
    sedatives = MedicineClassFactory(slug="sedatives")
    added = InteractionFactory(
        nutrient=NutrientFactory(slug="passiflora"),
        medicine_class=sedatives,
        client_advice_nl="",
        client_advice_en="",
    )
    # The brochure's row says 'monitor'; a curator made it 'avoid'.
    changed = InteractionFactory(
        nutrient=NutrientFactory(slug="lemon-balm"),
        medicine_class=sedatives,
        level=Level.AVOID,
        client_advice_nl="",
        client_advice_en="",
    )
    brochures = InteractionFactory(
        nutrient=NutrientFactory(slug="gaba"),
        medicine_class=sedatives,
        level=Level.MONITOR,
        client_advice_nl="",
        client_advice_en="",
    )

    fill()

    assert client_texts() == {
        added.pk: ("", ""),
        changed.pk: ("", ""),
        brochures.pk: (
            "U gebruikt ook een kalmeringsmiddel. Let op of uw medicijn anders werkt en "
            "overleg met uw arts.",
            "You also take a sedative. Watch whether your medicine works differently and talk "
            "to your doctor.",
        ),
    }
