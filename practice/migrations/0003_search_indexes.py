"""Indexes for what staff search and sort on.

The B-tree indexes are ordinary model indexes. Name and client-number search is
`icontains`, which PostgreSQL runs as `UPPER(column::text) LIKE UPPER('%word%')`: only a
trigram GIN index on that very expression can serve it. Those indexes (and the `pg_trgm`
extension) exist on PostgreSQL only; on SQLite this part of the migration does nothing.
They are not model indexes because SQLite cannot create them.
"""

from django.db import migrations, models

TRIGRAM_COLUMNS = ["first_name", "last_name", "client_number"]


def trigram_index(column: str) -> str:
    return f"client_{column}_trgm"


def create_trigram_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {trigram_index(column)} ON practice_client "
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {trigram_index(column)}")


class Migration(migrations.Migration):
    dependencies = [("practice", "0002_line_form_belongs_to_nutrient")]

    operations = [
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["last_name", "first_name", "id"], name="client_name_order"),
        ),
        migrations.AddIndex(
            model_name="consult",
            index=models.Index(
                fields=["practitioner", "-date", "-id"], name="consult_practitioner_date"
            ),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
