"""Loads the interaction table from the knowledge base as plain data for `rules.check`.

`load_table()` keeps the table in the process and answers from it while the knowledge base
is unchanged. Whether it is unchanged is asked of the database on every call, in one query
(`table_version()`), so a curator's edit is seen by every process (each gunicorn worker) on
its very next check, whichever process made the edit:

- on PostgreSQL the version is, per source table, a digest of where each row version
  lies (`ctid`) and which transaction wrote it (`xmin`). Every insert, update or delete,
  through the ORM or not, makes or removes a row version at a new place or by a new
  transaction, so it changes the digest (VACUUM FREEZE may change it too: one needless
  reload, never a stale answer);
- on SQLite (development) it is, per source table, its row count and the newest
  simple-history record: every save, delete and change of references through the ORM,
  the admin and its import, writes one.

Within the process the signal receivers of `gutbrain.signals` also drop the table on every
save or delete of a source row, which covers writes that keep no history (`loaddata`).
"""

from collections import defaultdict

from django.db import connection

from gutbrain.interactions.rules import InteractionTable, MedicineClassRule, Rule
from gutbrain.models import (
    Interaction,
    Medicine,
    MedicineClass,
    Nutrient,
    Reference,
    split_prefixes,
)

# Every model `read_table()` reads, and the table of the interactions' references.
SOURCE_MODELS = (
    Nutrient,
    MedicineClass,
    Medicine,
    Interaction,
    Reference,
    Interaction.references.through,
)

Version = tuple
_cached: tuple[Version, InteractionTable] | None = None


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


def _version_sql() -> str:
    parts = []
    for model in SOURCE_MODELS:
        table = connection.ops.quote_name(model._meta.db_table)
        if connection.vendor == "postgresql":
            parts.append(
                f"(SELECT md5(string_agg(ctid::text || ':' || xmin::text, ',' ORDER BY ctid)) "
                f"FROM {table})"
            )
            continue
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        history = getattr(model, "history", None)
        if history is not None:
            history_table = connection.ops.quote_name(history.model._meta.db_table)
            parts.append(f"(SELECT MAX(history_id) FROM {history_table})")
    return "SELECT " + ", ".join(parts)


def table_version() -> Version:
    """What the source tables hold now, in one query; see the module's docstring."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        return tuple(cursor.fetchone())


def load_table() -> InteractionTable:
    """The interaction table, from this process's copy while the knowledge base is
    unchanged: one query then, six when it has to be read again."""
    global _cached
    # The version is taken before the read: a write that lands in between gives a table
    # newer than its version, which is read again on the next call, never the reverse.
    version = table_version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    table = read_table()
    _cached = (version, table)
    return table


def forget_table() -> None:
    """Drop this process's copy; the next `load_table()` reads the table again."""
    global _cached
    _cached = None
