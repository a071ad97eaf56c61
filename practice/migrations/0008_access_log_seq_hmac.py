"""The access log numbered and keyed: `seq` on every entry, `hash_scheme` saying how its
hash was made, `AccessLogStart`, and the database's guards renewed.

Existing entries keep their SHA-256 hashes (`hash_scheme` "sha256") and are numbered from 1
in chain order, following each entry's `previous_hash` from the genesis hash; entries that
chain cannot reach (a log already broken) come after them in the order they were written,
so that `verify_access_log` still names the break. New entries are keyed (HMAC).

The guards, on both databases: no entry is ever changed; a trigger writes the
`AccessLogStart` row with the entry numbered 1, and its foreign key keeps the log from
being emptied unless that row goes too, as only emptying the whole database does
(`flush`, which the tests use between transactional tests, and `restore --force`).

- PostgreSQL: a row trigger refuses every UPDATE and DELETE of an entry and of the start
  row. TRUNCATE of the log alone fails on the foreign key; TRUNCATE of both tables (what
  `flush` does) remains a privilege to withhold from the application's role in production.
- SQLite has no statement triggers and cannot tell `DELETE FROM` the log from `flush`, so
  its trigger refuses every DELETE but that of the oldest remaining entry (a `DELETE FROM`
  deletes oldest first), and, from a connection that does not enforce foreign keys (the
  `sqlite3` shell, `dbshell`), every DELETE. A connection that enforces them, as Django's
  do, is stopped at commit by the start row's foreign key.
"""

import importlib

from django.db import migrations, models

before = importlib.import_module("practice.migrations.0004_access_log")

LOG = "practice_accesslogentry"
START = "practice_accesslogstart"
MESSAGE = "the access log is append-only"
GENESIS_HASH = "0" * 64
REFUSE = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
WITHOUT_FOREIGN_KEYS = "(SELECT foreign_keys FROM pragma_foreign_keys) = 0"

SQLITE_TRIGGERS = [
    (f"{LOG}_no_update", f"BEFORE UPDATE ON {LOG} {REFUSE}"),
    (
        f"{LOG}_no_delete",
        f"BEFORE DELETE ON {LOG} "
        f"WHEN OLD.id > (SELECT MIN(id) FROM {LOG}) OR {WITHOUT_FOREIGN_KEYS} {REFUSE}",
    ),
    (
        f"{LOG}_start",
        f"AFTER INSERT ON {LOG} WHEN NEW.seq = 1 "
        f"BEGIN INSERT INTO {START} (entry_id) VALUES (NEW.id); END;",
    ),
    (f"{START}_no_update", f"BEFORE UPDATE ON {START} {REFUSE}"),
    (f"{START}_no_delete", f"BEFORE DELETE ON {START} WHEN {WITHOUT_FOREIGN_KEYS} {REFUSE}"),
]

POSTGRES_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION practice_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION practice_accesslog_start() RETURNS trigger AS $$
BEGIN
    INSERT INTO {START} (entry_id) VALUES (NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_TRIGGERS = [
    (
        LOG,
        f"{LOG}_append_only",
        f"BEFORE UPDATE OR DELETE ON {LOG} FOR EACH ROW "
        "EXECUTE FUNCTION practice_accesslog_append_only()",
    ),
    (
        START,
        f"{START}_append_only",
        f"BEFORE UPDATE OR DELETE ON {START} FOR EACH ROW "
        "EXECUTE FUNCTION practice_accesslog_append_only()",
    ),
    (
        LOG,
        f"{LOG}_start",
        f"AFTER INSERT ON {LOG} FOR EACH ROW WHEN (NEW.seq = 1) "
        "EXECUTE FUNCTION practice_accesslog_start()",
    ),
]

# The entries in chain order, numbered from 1; those the chain does not reach after them,
# in the order they were written. Set-based: a log of millions of entries is one pass.
NUMBER_ENTRIES = [
    "CREATE TEMPORARY TABLE practice_accesslog_order (id bigint PRIMARY KEY, seq bigint)",
    f"""
    WITH RECURSIVE chain (id, hash, seq) AS (
        SELECT id, hash, 1 FROM {LOG} WHERE previous_hash = '{GENESIS_HASH}'
        UNION ALL
        SELECT entry.id, entry.hash, chain.seq + 1
        FROM {LOG} AS entry JOIN chain ON entry.previous_hash = chain.hash
    )
    INSERT INTO practice_accesslog_order (id, seq) SELECT id, seq FROM chain
    """,
    f"""
    INSERT INTO practice_accesslog_order (id, seq)
    SELECT id, (SELECT COALESCE(MAX(seq), 0) FROM practice_accesslog_order)
        + ROW_NUMBER() OVER (ORDER BY id)
    FROM {LOG} WHERE id NOT IN (SELECT id FROM practice_accesslog_order)
    """,
    f"""
    UPDATE {LOG} SET seq = (
        SELECT seq FROM practice_accesslog_order WHERE practice_accesslog_order.id = {LOG}.id
    )
    """,
    "DROP TABLE practice_accesslog_order",
]


def lift_guards(apps, schema_editor) -> None:
    """Migration 0004's triggers would refuse the numbering."""
    before.drop_append_only(apps, schema_editor)


def guard(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name, body in SQLITE_TRIGGERS:
            schema_editor.execute(f"CREATE TRIGGER {name} {body}")
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTIONS)
        for _table, name, body in POSTGRES_TRIGGERS:
            schema_editor.execute(f"CREATE TRIGGER {name} {body}")


def unguard(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name, _body in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif vendor == "postgresql":
        for table, name, _body in POSTGRES_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS practice_accesslog_start()")


def number_entries(apps, schema_editor) -> None:
    for sql in NUMBER_ENTRIES:
        schema_editor.execute(sql)


def hold_start(apps, schema_editor) -> None:
    """The start row of a log that has entries already (the trigger writes it for a new
    log's first entry)."""
    AccessLogEntry = apps.get_model("practice", "AccessLogEntry")
    AccessLogStart = apps.get_model("practice", "AccessLogStart")
    first = AccessLogEntry.objects.filter(seq=1).first()
    if first is not None:
        AccessLogStart.objects.create(entry=first)


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0007_clientmedication_intake_times"),
    ]

    operations = [
        migrations.RunPython(lift_guards, before.make_append_only),
        migrations.AddField(
            model_name="accesslogentry",
            name="hash_scheme",
            field=models.CharField(
                choices=[
                    ("sha256", "SHA-256 (written before the log had a key)"),
                    ("hmac-sha256", "HMAC-SHA-256 (keyed)"),
                ],
                default="sha256",
                max_length=12,
                verbose_name="hash scheme",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="seq",
            field=models.PositiveBigIntegerField(
                null=True,
                help_text="The previous entry's number plus one; the first entry is 1.",
                verbose_name="sequence number",
            ),
        ),
        migrations.RunPython(number_entries, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="accesslogentry",
            name="seq",
            field=models.PositiveBigIntegerField(
                help_text="The previous entry's number plus one; the first entry is 1.",
                verbose_name="sequence number",
            ),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="hash",
            field=models.CharField(max_length=64, unique=True, verbose_name="hash"),
        ),
        migrations.AddConstraint(
            model_name="accesslogentry",
            constraint=models.UniqueConstraint(fields=("seq",), name="accesslog_unique_seq"),
        ),
        migrations.AddConstraint(
            model_name="accesslogentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("seq__gte", 1)), name="accesslog_seq_from_one"
            ),
        ),
        migrations.CreateModel(
            name="AccessLogStart",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=models.deletion.PROTECT,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="practice.accesslogentry",
                        verbose_name="first entry",
                    ),
                ),
            ],
            options={
                "verbose_name": "access log start",
                "verbose_name_plural": "access log start",
            },
        ),
        migrations.RunPython(guard, unguard),
        migrations.RunPython(hold_start, migrations.RunPython.noop),
    ]
