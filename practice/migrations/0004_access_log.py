"""The access log (NEN 7513), assistants' practitioners, and the practice groups' permissions.

The log is append-only in the database too. On PostgreSQL a row trigger refuses every
UPDATE and DELETE of an entry; TRUNCATE (which `flush` and `restore` use to empty the whole
database) is a privilege to withhold from the application's database role in production.
On SQLite, which empties tables with `DELETE FROM`, the trigger refuses every UPDATE and
every DELETE except that of the oldest remaining entry: emptying the whole table still
works, while removing any entry from the middle or the end is refused, and removing the
oldest ones shows in the chain (the first entry no longer follows the genesis hash).
"""

import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TABLE = "practice_accesslogentry"
MESSAGE = "the access log is append-only"

SQLITE_TRIGGERS = [
    (
        f"{TABLE}_no_update",
        f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    ),
    (
        f"{TABLE}_no_delete",
        f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
        f"WHEN OLD.id > (SELECT MIN(id) FROM {TABLE}) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    ),
]

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION practice_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""

# What a practitioner may see in the admin (with `is_staff`), where every queryset is
# narrowed to their own clients (practice/admin.py). They change records in the staff pages;
# assistants and curators get no permission on the practice's models.
PRACTITIONER_PERMISSIONS = [
    "view_client",
    "view_consult",
    "view_protocol",
    "view_protocoltemplate",
    "view_accesslogentry",
]


def make_append_only(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for _name, create in SQLITE_TRIGGERS:
            schema_editor.execute(create)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION practice_accesslog_append_only();"
        )


def drop_append_only(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name, _create in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};")
        schema_editor.execute("DROP FUNCTION IF EXISTS practice_accesslog_append_only();")


def grant_permissions(apps, schema_editor) -> None:
    # Permissions are normally made after migrate; the new models' are needed now.
    app_config = apps.get_app_config("practice")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="practitioner")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="practice", codename__in=PRACTITIONER_PERMISSIONS
        )
    )


def revoke_permissions(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="practitioner").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="practice", codename__in=PRACTITIONER_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0003_search_indexes"),
        ("gutbrain", "0002_groups"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="practicemember",
            name="assists",
            field=models.ManyToManyField(
                blank=True,
                help_text="For an assistant: the practitioners of the same practice whose clients' contact details and issued protocols this assistant may see.",
                related_name="assistants",
                to=settings.AUTH_USER_MODEL,
                verbose_name="assists",
            ),
        ),
        migrations.CreateModel(
            name="AccessLogEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="when"),
                ),
                (
                    "user_id",
                    models.PositiveBigIntegerField(blank=True, null=True, verbose_name="user id"),
                ),
                ("username", models.CharField(blank=True, max_length=150, verbose_name="username")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("read", "read"),
                            ("create", "create"),
                            ("update", "update"),
                            ("delete", "delete"),
                            ("export", "export"),
                            ("print", "print"),
                            ("erase", "erase"),
                        ],
                        max_length=10,
                        verbose_name="action",
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("allowed", "allowed"),
                            ("refused", "refused"),
                            ("not_found", "not found"),
                        ],
                        max_length=10,
                        verbose_name="outcome",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[("web", "web"), ("api", "API"), ("admin", "admin")],
                        max_length=10,
                        verbose_name="channel",
                    ),
                ),
                (
                    "record_type",
                    models.CharField(
                        choices=[
                            ("client", "client"),
                            ("consult", "consult"),
                            ("protocol", "protocol"),
                            ("protocol_pdf", "protocol PDF"),
                        ],
                        max_length=20,
                        verbose_name="record type",
                    ),
                ),
                (
                    "record_id",
                    models.CharField(blank=True, max_length=40, verbose_name="record id"),
                ),
                (
                    "client_id",
                    models.PositiveBigIntegerField(blank=True, null=True, verbose_name="client id"),
                ),
                (
                    "ip_address",
                    models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address"),
                ),
                (
                    "user_agent",
                    models.CharField(blank=True, max_length=300, verbose_name="user agent"),
                ),
                ("path", models.CharField(blank=True, max_length=300, verbose_name="path")),
                (
                    "previous_hash",
                    models.CharField(
                        max_length=64, unique=True, verbose_name="previous entry's hash"
                    ),
                ),
                (
                    "hash",
                    models.CharField(max_length=64, unique=True, verbose_name="hash (SHA-256)"),
                ),
            ],
            options={
                "verbose_name": "access log entry",
                "verbose_name_plural": "access log",
                "ordering": ["-pk"],
                "indexes": [models.Index(fields=["client_id", "-id"], name="accesslog_client")],
            },
        ),
        migrations.RunPython(make_append_only, drop_append_only),
        migrations.RunPython(grant_permissions, revoke_permissions),
    ]
