"""`manage.py backup`, then `manage.py restore` into a freshly migrated database: every
row of every table and every stored file comes back as it was.

These tests commit for real (the backup opens its own transaction, as it does when run
from the command line), so they empty every table when they end.
"""

import datetime
import io
import json
import shutil
import tarfile
import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from gutbrain.models import HistoricalNutrient, Nutrient
from practice.models import Client, Practice, Protocol
from practice.services import LineInput, client_create, consult_create
from tests.integrity.conftest import every_row, stored_bytes
from tests.storage import STORAGES, BucketFiles, LocalFiles, media_for

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("restore_migrated_rows"),
]

# Tables the clinic fills; the round trip must have something to carry in each.
FILLED = [
    "admin.logentry",
    "auth.group",
    "auth.user",
    "knox.authtoken",
    "gutbrain.historicalfoodsource",
    "gutbrain.historicalnutrient",
    "gutbrain.historicalnutrient_references",
    "gutbrain.nutrient",
    "gutbrain.interaction",
    "gutbrain.evidencesummary",
    "gutbrain.topic",
    "practice.practice",
    "practice.practicemember",
    "practice.client",
    "practice.clientmedication",
    "practice.clientsupplement",
    "practice.consult",
    "practice.supplementline",
    "practice.protocoltemplate",
    "practice.templateline",
    "practice.protocol",
    "practice.acknowledgement",
]


@pytest.fixture(autouse=True)
def _forget_content_type_ids():
    """The tests renumber content types; the next test must not find the old ids cached."""
    yield
    ContentType.objects.clear_cache()


def empty_as_freshly_migrated() -> None:
    """Empties every table, then puts back only what `migrate` writes (content types,
    permissions, the staff groups), and renumbers the client's content type and its
    permissions, as on an installation that was migrated in another order: the backup
    must name them, not count on their ids."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [ContentType, Permission]):
            cursor.execute(sql)
    ContentType.objects.filter(app_label="practice", model="client").delete()
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_model(Client)
    create_permissions(Client._meta.app_config, verbosity=0)


@pytest.fixture(params=STORAGES)
def media(request) -> LocalFiles | BucketFiles:
    """The local folder or an S3 bucket on moto's server, chosen before the clinic stores
    its files."""
    return media_for(request)


def test_a_restore_brings_back_every_row_and_every_stored_file(media, clinic, tmp_path):
    protocol = Protocol.objects.get()
    pdf = stored_bytes(protocol.pdf)
    logo = stored_bytes(Practice.objects.get().logo)
    assert media.names() == sorted([protocol.pdf.name, Practice.objects.get().logo.name])
    before = every_row()
    old_client_type = ContentType.objects.get_for_model(Client).pk
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", output=str(archive), stdout=io.StringIO())
    empty_as_freshly_migrated()
    for name in media.names():
        media.delete(name)
    assert not get_user_model().objects.exists()
    assert ContentType.objects.get_for_model(Client).pk != old_client_type
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    after = every_row()
    assert [label for label in FILLED if not before[label]] == []
    assert {label: len(rows) for label, rows in after.items()} == {
        label: len(rows) for label, rows in before.items()
    }
    for label, rows in before.items():
        assert after[label] == rows, label
    restored = Protocol.objects.get()
    assert stored_bytes(restored.pdf) == pdf
    assert media.read(restored.pdf.name) == pdf, "in the storage itself"
    assert restored.pdf_sha256 == protocol.pdf_sha256
    assert stored_bytes(Practice.objects.get().logo) == logo
    assert "practice.client: 2" in out.getvalue()
    assert "Restored" in out.getvalue()


def test_after_a_restore_new_records_get_fresh_ids_and_protocols_stay_frozen(clinic, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    highest_client = Client.objects.order_by("-pk").first().pk
    highest_history = HistoricalNutrient.objects.order_by("-pk").first().pk
    call_command("backup", output=str(archive), stdout=io.StringIO())
    empty_as_freshly_migrated()
    shutil.rmtree(settings.MEDIA_ROOT)
    call_command("restore", str(archive), stdout=io.StringIO())
    practice = Practice.objects.get()
    practitioner = practice.members.get(is_practice_admin=True).user

    # The sequences were reset past the restored ids (PostgreSQL would otherwise answer
    # these inserts with a duplicate key).
    client = client_create(
        practitioner=practitioner,
        practice=practice,
        first_name="Nieuw",
        last_name="Na herstel",
        date_of_birth=datetime.date(1990, 5, 1),
    )
    consult_create(
        client=client,
        practitioner=practitioner,
        lines=[
            LineInput(
                nutrient=Nutrient.objects.get(slug="magnesium"),
                dose_amount=Decimal("100"),
                dose_unit="mg",
            )
        ],
    )
    nutrient = Nutrient.objects.get(slug="saffron")
    nutrient.name_en = "Saffron (after restore)"
    nutrient.save()

    assert client.pk > highest_client
    assert client.client_number == "00003"
    assert HistoricalNutrient.objects.order_by("-pk").first().name_en == "Saffron (after restore)"
    assert HistoricalNutrient.objects.order_by("-pk").first().pk > highest_history
    assert Group.objects.filter(name="curator").get().permissions.exists()
    restored = Protocol.objects.get()
    with pytest.raises(ValidationError):
        restored.save()
    with pytest.raises(ValidationError):
        restored.delete()


def test_a_record_written_while_the_backup_runs_is_wholly_absent_from_it(clinic, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite makes writers wait for the backup's read transaction to end.")
    practice = Practice.objects.get()
    practitioner = practice.members.get(is_practice_admin=True).user
    archive = tmp_path / "backup.tar.gz"
    clients_before = Client.objects.count()
    written = threading.Event()

    def add_a_client_elsewhere() -> None:
        try:
            client_create(
                practitioner=practitioner,
                practice=practice,
                client_number="77777",
                first_name="Tussendoor",
                last_name="Geschreven",
                date_of_birth=datetime.date(1990, 5, 1),
            )
            written.set()
        finally:
            connection.close()  # this thread's connection

    def write_after_the_first_read(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        reading = context["connection"].in_atomic_block and sql.lstrip().startswith("SELECT")
        if reading and not written.is_set():
            writer = threading.Thread(target=add_a_client_elsewhere)
            writer.start()
            writer.join()
        return result

    with connection.execute_wrapper(write_after_the_first_read):
        call_command("backup", output=str(archive), stdout=io.StringIO())

    assert written.is_set()
    assert Client.objects.count() == clients_before + 1
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        data = json.load(tar.extractfile("data.json"))
    numbers = [row["fields"]["client_number"] for row in data if row["model"] == "practice.client"]
    assert "77777" not in numbers
    assert manifest["counts"]["practice.client"] == clients_before == len(numbers)
