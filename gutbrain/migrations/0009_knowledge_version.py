"""The knowledge base's version: one row, which the database gives a new number on every
write of a table the interaction check reads, so that a process checks its copy of the
interaction table (`gutbrain.interactions.table`) with one read.

The database's triggers write it, not the application, so that every write is seen:
the admin's, an import's, a history revert's, a fixture's (`loaddata`), `restore`'s bulk
inserts, `flush`'s and raw SQL's.

- SQLite has row triggers only: one per table and kind of statement, for each row.
- PostgreSQL: one statement trigger per table, on INSERT, UPDATE, DELETE and TRUNCATE
  (what `flush` does). BEFORE the statement: a writer takes the version's row lock before
  it locks any row of these tables, so two transactions that edit the knowledge base wait
  for one another instead of deadlocking over rows both touch.

A random number, not a count: a rolled-back transaction takes its count back and the
next write would count to the same number with other contents (every test's rollback
would), while a process may still hold the table it read under that number. A number
drawn afresh does not come back.

A table of its own, not a model's: `flush` (between transactional tests) would empty it,
the tests' serialized rollback and any `dumpdata` of the app would carry old numbers
back in, and the backup would hold it as a record. Django knows nothing of it, so none
of that touches it; the version changes only through these triggers.

A later migration that makes SQLite rebuild one of these tables (most field changes do)
drops that table's triggers: run `watch` of this module again after it
(tests/performance/test_interaction_table_cache.py fails until then).
"""

from django.db import migrations

VERSION_TABLE = "gutbrain_knowledge_version"
# The tables of `gutbrain.interactions.table.SOURCE_MODELS`, as this migration finds them.
SOURCE_TABLES = [
    "gutbrain_nutrient",
    "gutbrain_medicineclass",
    "gutbrain_medicine",
    "gutbrain_interaction",
    "gutbrain_reference",
    "gutbrain_interaction_references",
]
SQLITE_EVENTS = ["INSERT", "UPDATE", "DELETE"]
# A random bigint: SQLite's random() is one; PostgreSQL's is a double in [0, 1) with 52
# random bits, scaled to the bigint's range.
RANDOM = {
    "sqlite": "random()",
    "postgresql": "floor(random() * 9223372036854775807)::bigint",
}
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION gutbrain_knowledge_changed() RETURNS trigger AS $$
BEGIN
    UPDATE {VERSION_TABLE} SET version = {RANDOM["postgresql"]};
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def _sqlite_trigger(table: str, event: str) -> str:
    return f"{table}_{event.lower()}_changes_knowledge"


def watch(schema_editor, tables: list[str]) -> None:
    """Makes every write of `tables` give the version a new number."""
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "sqlite":
            for event in SQLITE_EVENTS:
                schema_editor.execute(
                    f"CREATE TRIGGER {_sqlite_trigger(table, event)} AFTER {event} ON {table} "
                    f"BEGIN UPDATE {VERSION_TABLE} SET version = {RANDOM['sqlite']}; END;"
                )
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_changes_knowledge "
                f"BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION gutbrain_knowledge_changed()"
            )


def unwatch(schema_editor, tables: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "sqlite":
            for event in SQLITE_EVENTS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {_sqlite_trigger(table, event)}")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_changes_knowledge ON {table}")


def create(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    schema_editor.execute(
        f"CREATE TABLE {VERSION_TABLE} "
        "(id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)"
    )
    schema_editor.execute(f"INSERT INTO {VERSION_TABLE} (id, version) VALUES (1, {RANDOM[vendor]})")
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
    watch(schema_editor, SOURCE_TABLES)


def drop(apps, schema_editor) -> None:
    unwatch(schema_editor, SOURCE_TABLES)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS gutbrain_knowledge_changed()")
    schema_editor.execute(f"DROP TABLE IF EXISTS {VERSION_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("gutbrain", "0008_brochure_spelling_corrected")]

    operations = [migrations.RunPython(create, drop)]
