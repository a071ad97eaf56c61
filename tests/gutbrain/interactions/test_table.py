"""Loading the interaction table from the database."""

from gutbrain.interactions import check, load_table
from gutbrain.interactions.table import read_table
from gutbrain.models import Interaction, Level
from tests.factories import (
    InteractionFactory,
    MedicineClassFactory,
    NutrientFactory,
    ReferenceFactory,
)


def test_it_loads_the_table_in_five_queries_whatever_its_size(db, django_assert_num_queries):
    psychotropic = MedicineClassFactory(slug="psychotropic", atc_prefixes="N05, N06")
    for n in range(6):
        row = InteractionFactory(
            nutrient=NutrientFactory(slug=f"herb-{n}"), medicine_class=psychotropic
        )
        row.references.add(ReferenceFactory(number=n + 1))
    # nutrients, medicine classes, the medicine reference list, interactions with their
    # nutrient, their references
    with django_assert_num_queries(5):
        table = read_table()
    assert len(table.rules) == 6
    assert table.rules["herb-3"][0].references == (4,)


def test_each_rule_carries_its_rows_client_texts(db):
    InteractionFactory(
        nutrient=NutrientFactory(slug="lemon-balm"),
        client_advice_nl="U gebruikt ook een kalmeringsmiddel. Overleg met uw arts.",
        client_advice_en="You also take a sedative. Talk to your doctor.",
    )

    [rule] = read_table().rules["lemon-balm"]

    assert rule.client_advice_nl == "U gebruikt ook een kalmeringsmiddel. Overleg met uw arts."
    assert rule.client_advice_en == "You also take a sedative. Talk to your doctor."


def test_a_class_includes_the_prefixes_of_classes_nested_below_it(db):
    sedatives = MedicineClassFactory(slug="sedatives", atc_prefixes="N05")
    # A child whose prefix lies outside the parent's still counts as the parent.
    MedicineClassFactory(slug="odd-child", atc_prefixes="X01", parent=sedatives)
    InteractionFactory(nutrient=NutrientFactory(slug="lemon-balm"), medicine_class=sedatives)

    table = load_table()

    assert table.rules["lemon-balm"][0].medicine_class.prefixes == ("N05", "X01")
    result = check(table, ["lemon-balm"], ["X01AB01"])
    assert result.results[0].level == "monitor"


def test_unpublished_nutrients_are_not_in_the_table(db):
    hidden = NutrientFactory(slug="hidden", is_published=False)
    InteractionFactory(nutrient=hidden)

    table = load_table()

    assert "hidden" not in table.nutrients
    assert "hidden" not in table.rules


def test_a_nutrient_without_rows_is_known_but_has_no_rules(db):
    NutrientFactory(slug="zinc")
    table = load_table()
    assert "zinc" in table.nutrients
    assert check(table, ["zinc"], []).results[0].level == "no_data"


def test_stored_pregnancy_rows_apply(db):
    nutrient = NutrientFactory(slug="saffron")
    Interaction.objects.create(
        nutrient=nutrient,
        target=Interaction.Target.PREGNANCY,
        level=Level.AVOID,
        advice_nl="Afgeraden.",
        advice_en="Advised against.",
    )
    assert check(load_table(), ["saffron"], [], pregnant=True).worst_level == "avoid"
