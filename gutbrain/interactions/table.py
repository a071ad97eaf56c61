"""Loads the interaction table from the knowledge base as plain data for `rules.check`.

`load_table()` keeps the table in the process and answers from it while the knowledge base
is unchanged. Whether it is unchanged is asked of the database on every call, in one read
of one row (`table_version()`), so an edit is seen by every process (each gunicorn worker)
on its very next check, whichever process made it.

The row is the knowledge base's version (`gutbrain_knowledge_version`, migration 0009):
the database's own triggers give it a new random number on every insert, update, delete
or truncate of a table the check reads (`SOURCE_MODELS`), whoever writes: the admin, its
import and history revert, `loaddata`, `restore`, `flush`, raw SQL. A number does not come
back: a transaction that rolls back takes its number with it and the next write draws a
new one, so a table read under one number is never taken for other contents. Without the
row (deleted by hand) nothing is kept: every check reads the table afresh.

`load_cached()` keeps other readings of the knowledge base the same way, under the same
version (the consult page's published nutrients, their forms and the indications): one
read of the version answers for all of them.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import connection

from gutbrain.interactions.rules import InteractionTable, MedicineClassRule, Rule
from gutbrain.models import (
    Indication,
    Interaction,
    Medicine,
    MedicineClass,
    Nutrient,
    NutrientForm,
    Reference,
    split_prefixes,
)

# Every model `read_table()` and the other cached readers read, and the table of the
# interactions' references: a write of any of their tables changes the version (the
# triggers of migrations 0009 and 0010). A reader given to `load_cached()` reads these
# tables only.
SOURCE_MODELS = (
    Nutrient,
    MedicineClass,
    Medicine,
    Interaction,
    Reference,
    Interaction.references.through,
    NutrientForm,
    Indication,
)

# Each reader's last reading in this process, with the version it was read under.
_cached: dict[Callable[[], Any], tuple[int, Any]] = {}


def load_medicine_classes() -> dict[int, MedicineClassRule]:
    """Every medicine class by id, each with its own prefixes (the source's and the
    editors' additions) and those of the classes nested below it.

    One query.
    """
    rows = list(
        MedicineClass.objects.order_by("slug").values_list(
            "id", "parent_id", "slug", "name_nl", "name_en", "atc_prefixes", "editor_prefixes"
        )
    )
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id, *_ in rows:
        children[parent_id].append(pk)
    own = {
        pk: split_prefixes(prefixes) + split_prefixes(editor_prefixes)
        for pk, _, _, _, _, prefixes, editor_prefixes in rows
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
        for pk, _, slug, name_nl, name_en, _, _ in rows
    }


def read_table() -> InteractionTable:
    """The whole interaction table of published nutrients, read afresh in five queries:
    nutrients, medicine classes, the medicine reference list, interactions, and the
    interactions' references."""
    nutrients = frozenset(Nutrient.objects.published().values_list("slug", flat=True))
    classes = load_medicine_classes()
    reference = dict(Medicine.objects.values_list("atc_code", "name"))
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
                client_advice_nl=row.client_advice_nl,
                client_advice_en=row.client_advice_en,
                references=tuple(sorted(ref.number for ref in row.references.all())),
                medicine_class=classes[row.medicine_class_id] if row.medicine_class_id else None,
            )
        )
    return InteractionTable(
        rules={slug: tuple(rows) for slug, rows in rules.items()},
        nutrients=nutrients,
        classes=tuple(classes.values()),
        reference=reference,
    )


def table_version() -> int | None:
    """The knowledge base's version, in one query; see the module's docstring. None when
    its row is missing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM gutbrain_knowledge_version WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def load_cached(*readers: Callable[[], Any]) -> tuple[Any, ...]:
    """What each reader reads, from this process's copy while the knowledge base is
    unchanged: one query then for all of them (the version), and each reader's own
    queries for a reading that is older than the version.

    The readings are shared by every request (and thread) of the process: nothing may
    change them."""
    # The version is taken before the reads: a write that lands in between gives a reading
    # newer than its version, which is read again on the next call, never the reverse.
    version = table_version()
    readings = []
    for read in readers:
        cached = _cached.get(read)
        if version is not None and cached is not None and cached[0] == version:
            readings.append(cached[1])
            continue
        reading = read()
        if version is None:
            _cached.pop(read, None)
        else:
            _cached[read] = (version, reading)
        readings.append(reading)
    return tuple(readings)


def load_table() -> InteractionTable:
    """The interaction table, from this process's copy while the knowledge base is
    unchanged: one query then, six when it has to be read again."""
    return load_cached(read_table)[0]
