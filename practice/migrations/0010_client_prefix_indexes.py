"""Prefix indexes for the client search's short words.

A word of one or two characters is searched at the start of a name or client number
(`istartswith`), which PostgreSQL runs as `UPPER(column::text) LIKE 'DE%'`: a B-tree on
that very expression with `text_pattern_ops` answers it with a range scan, whatever the
database's collation. (Trigrams cannot serve a word shorter than three characters, except
after a space: " de" inside a name is migration 0003's trigram index, as are longer
words.) Like those, these are expression indexes that SQLite's LIKE would not use, so on
SQLite this migration does nothing.
"""

from django.db import migrations

PREFIX_COLUMNS = ["last_name", "first_name", "client_number"]


def prefix_index(column: str) -> str:
    return f"client_{column}_prefix"


def create_prefix_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in PREFIX_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {prefix_index(column)} ON practice_client "
            f'((UPPER("{column}"::text)) text_pattern_ops)'
        )


def drop_prefix_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in PREFIX_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {prefix_index(column)}")


class Migration(migrations.Migration):
    dependencies = [("practice", "0009_client_number_characters")]

    operations = [
        migrations.RunPython(create_prefix_indexes, drop_prefix_indexes, elidable=False),
    ]
