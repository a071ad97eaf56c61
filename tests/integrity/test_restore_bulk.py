"""`manage.py restore` loads the rows in bulk: its INSERTs go with the tables and their
batches, not with the rows (issue #12, finding 5: a restore of 53,000 records took
157 s on PostgreSQL with one INSERT per row). And what a bulk load could lose is kept:
the values `auto_now` would renew, and the access log's start row, which a trigger
writes."""

import datetime
import io
import math
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gutbrain.management.commands import restore
from gutbrain.management.commands.backup import backed_up_models
from gutbrain.models import Indication, Nutrient
from practice import accesslog
from practice.models import (
    AccessAction,
    AccessLogEntry,
    AccessLogStart,
    Client,
    ClientMedication,
    Consult,
    Practice,
    SupplementLine,
)
from practice.services import LineInput, MedicationInput, client_create, consult_create
from tests.integrity.conftest import every_row

INSERT = re.compile(r'INSERT (?:OR IGNORE )?INTO "(?P<table>[^"]+)"')
# What the clinic's clients bring with them, per client added below.
CLIENT_TABLES = [
    Client._meta.db_table,
    ClientMedication._meta.db_table,
    Consult._meta.db_table,
    Consult.complaints.through._meta.db_table,
    SupplementLine._meta.db_table,
]


def add_clients(count: int) -> None:
    """`count` clients, each with a medicine and a consult with two complaints and two
    lines: few enough that each table's rows still fit one INSERT on SQLite too."""
    practice = Practice.objects.get()
    practitioner = practice.members.get(is_practice_admin=True).user
    complaints = list(Indication.objects.order_by("pk")[:2])
    nutrients = list(Nutrient.objects.order_by("pk")[:2])
    for n in range(count):
        client = client_create(
            practitioner=practitioner,
            practice=practice,
            first_name=f"Client {n}",
            last_name="Erbij",
            date_of_birth=datetime.date(1980, 1, 1) + datetime.timedelta(days=n),
            medications=[MedicationInput(atc_code="N06AB06")],
        )
        consult_create(
            client=client,
            practitioner=practitioner,
            complaints=complaints,
            lines=[
                LineInput(nutrient=nutrient, dose_amount=Decimal("100"), dose_unit="mg")
                for nutrient in nutrients
            ],
        )


def backup(path: Path) -> Path:
    call_command("backup", output=str(path), stdout=io.StringIO())
    return path


def empty_as_freshly_migrated() -> None:
    """Every table emptied, then what the migrations wrote put back: the log too, which
    only emptying the whole database may empty."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


def inserts_of_a_restore(archive: Path, **options) -> Counter:
    """The INSERT statements the restore sends, per table."""
    with CaptureQueriesContext(connection) as queries:
        call_command("restore", str(archive), stdout=io.StringIO(), **options)
    return Counter(
        match["table"] for query in queries if (match := INSERT.match(query["sql"].lstrip()))
    )


def test_more_rows_take_no_more_inserts(clinic, tmp_path):
    small = backup(tmp_path / "small.tar.gz")
    add_clients(30)
    large = backup(tmp_path / "large.tar.gz")
    rows = every_row()

    inserts_small = inserts_of_a_restore(small, force=True)
    inserts_large = inserts_of_a_restore(large, force=True)

    assert every_row() == rows
    assert Client.objects.count() == 32
    assert Consult.complaints.through.objects.count() > 60
    assert inserts_large == inserts_small
    assert {table: inserts_large[table] for table in CLIENT_TABLES} == dict.fromkeys(
        CLIENT_TABLES, 1
    )
    # At most one per table and batch of rows: a few dozen in all, not one per row.
    restored_rows = sum(len(rows[model._meta.label_lower]) for model in backed_up_models())
    assert sum(inserts_large.values()) < restored_rows / 10


def test_the_rows_go_in_batches(clinic, tmp_path, monkeypatch):
    add_clients(30)
    archive = backup(tmp_path / "backup.tar.gz")
    rows = every_row()
    monkeypatch.setattr(restore, "BATCH_ROWS", 10)

    inserts = inserts_of_a_restore(archive, force=True)

    assert every_row() == rows
    assert inserts[Client._meta.db_table] == math.ceil(32 / 10)
    assert inserts[SupplementLine._meta.db_table] == math.ceil(SupplementLine.objects.count() / 10)


def test_auto_now_times_are_restored_as_they_were(clinic, tmp_path):
    client = Client.objects.order_by("pk").first()
    Client.objects.filter(pk=client.pk).update(
        updated_at=datetime.datetime(2020, 5, 4, 3, 2, 1, 123456, tzinfo=datetime.UTC)
    )
    before = Client.objects.values_list("created_at", "updated_at").get(pk=client.pk)
    archive = backup(tmp_path / "backup.tar.gz")

    call_command("restore", str(archive), force=True, stdout=io.StringIO())

    assert Client.objects.values_list("created_at", "updated_at").get(pk=client.pk) == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("restore_migrated_rows")
def test_the_access_log_and_its_start_row_come_back_as_they_were(clinic, rf, tmp_path):
    """The trigger writes the start row as the first entry is loaded; the backup's copy of
    it must neither fail nor double it."""
    practice = Practice.objects.get()
    request = rf.get("/clients/")
    request.user = practice.members.get(is_practice_admin=True).user
    sanne = Client.objects.get(first_name="Sanne")
    for action in (AccessAction.READ, AccessAction.UPDATE, AccessAction.PRINT):
        accesslog.record(request, action=action, obj=sanne)
    before = every_row()
    archive = backup(tmp_path / "backup.tar.gz")
    empty_as_freshly_migrated()

    inserts = inserts_of_a_restore(archive)

    assert every_row() == before
    assert list(AccessLogStart.objects.values_list("entry_id", flat=True)) == [
        AccessLogEntry.objects.get(seq=1).pk
    ]
    assert inserts[AccessLogEntry._meta.db_table] == 1
    assert accesslog.verify_chain().first_break is None
