"""A supplement or template line's form must be a form of the line's nutrient.

Django has no composite foreign keys, so the database keeps the invariant with a trigger
on each vendor this project runs on (SQLite and PostgreSQL).
"""

from django.db import migrations

TABLES = ["practice_supplementline", "practice_templateline"]
MESSAGE = "form belongs to another nutrient"


def sqlite_sql(table: str) -> tuple[list[str], list[str]]:
    create = [
        f"""
        CREATE TRIGGER {table}_form_nutrient_{event.lower()}
        BEFORE {event} ON {table}
        WHEN NEW.form_id IS NOT NULL AND NEW.nutrient_id IS NOT
             (SELECT nutrient_id FROM gutbrain_nutrientform WHERE id = NEW.form_id)
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
        """
        for event in ("INSERT", "UPDATE")
    ]
    drop = [
        f"DROP TRIGGER IF EXISTS {table}_form_nutrient_{event};" for event in ("insert", "update")
    ]
    return create, drop


POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION practice_check_form_nutrient() RETURNS trigger AS $$
BEGIN
    IF NEW.form_id IS NOT NULL AND NEW.nutrient_id IS DISTINCT FROM
       (SELECT nutrient_id FROM gutbrain_nutrientform WHERE id = NEW.form_id) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            for statement in sqlite_sql(table)[0]:
                schema_editor.execute(statement)
        elif vendor == "postgresql":
            if table == TABLES[0]:
                schema_editor.execute(POSTGRES_FUNCTION)
            schema_editor.execute(
                f"CREATE TRIGGER {table}_form_nutrient BEFORE INSERT OR UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION practice_check_form_nutrient();"
            )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            for statement in sqlite_sql(table)[1]:
                schema_editor.execute(statement)
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_form_nutrient ON {table};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS practice_check_form_nutrient();")


class Migration(migrations.Migration):
    dependencies = [("practice", "0001_initial"), ("gutbrain", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
