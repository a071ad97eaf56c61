"""The knowledge base's version (migration 0009) also changes on every write of the
nutrients' forms and the indications: the consult page keeps them in the process under
that version (`gutbrain.interactions.table.load_cached`)."""

import importlib

from django.db import migrations

knowledge_version = importlib.import_module("gutbrain.migrations.0009_knowledge_version")

TABLES = ["gutbrain_nutrientform", "gutbrain_indication"]


def watch(apps, schema_editor) -> None:
    knowledge_version.watch(schema_editor, TABLES)


def unwatch(apps, schema_editor) -> None:
    knowledge_version.unwatch(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [("gutbrain", "0009_knowledge_version")]

    operations = [migrations.RunPython(watch, unwatch)]
