"""Loads the interaction table from the knowledge base as plain data for `rules.check`."""

from collections import defaultdict

from gutbrain.interactions.rules import InteractionTable, MedicineClassRule, Rule
from gutbrain.models import Interaction, MedicineClass, Nutrient


def load_medicine_classes() -> dict[int, MedicineClassRule]:
    """Every medicine class by id, each with the prefixes of the classes nested below it.

    One query.
    """
    rows = list(
        MedicineClass.objects.values_list(
            "id", "parent_id", "slug", "name_nl", "name_en", "atc_prefixes"
        )
    )
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id, *_ in rows:
        children[parent_id].append(pk)
    own = {
        pk: [p.strip() for p in prefixes.split(",") if p.strip()]
        for pk, _, _, _, _, prefixes in rows
    }

    def all_prefixes(pk: int, seen: frozenset[int] = frozenset()) -> list[str]:
        if pk in seen:  # a cycle slipped past validation: never loop forever
            return []
        found = list(own[pk])
        for child in children.get(pk, []):
            found.extend(all_prefixes(child, seen | {pk}))
        return found

    return {
        pk: MedicineClassRule(
            slug=slug,
            name_nl=name_nl,
            name_en=name_en,
            prefixes=tuple(dict.fromkeys(all_prefixes(pk))),
        )
        for pk, _, slug, name_nl, name_en, _ in rows
    }


def load_table() -> InteractionTable:
    """The whole interaction table of published nutrients, in four queries:
    nutrients, medicine classes, interactions, and the interactions' references."""
    nutrients = frozenset(Nutrient.objects.published().values_list("slug", flat=True))
    classes = load_medicine_classes()
    rules: dict[str, list[Rule]] = defaultdict(list)
    interactions = (
        Interaction.objects.filter(nutrient__is_published=True)
        .select_related("nutrient")
        .prefetch_related("references")
        .order_by("nutrient__slug", "pk")
    )
    for row in interactions:
        rules[row.nutrient.slug].append(
            Rule(
                nutrient=row.nutrient.slug,
                target=row.target,
                level=row.level,
                advice_nl=row.advice_nl,
                advice_en=row.advice_en,
                references=tuple(sorted(ref.number for ref in row.references.all())),
                medicine_class=classes[row.medicine_class_id] if row.medicine_class_id else None,
            )
        )
    return InteractionTable(
        rules={slug: tuple(rows) for slug, rows in rules.items()}, nutrients=nutrients
    )
