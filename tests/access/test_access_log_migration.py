"""The data migration `practice.0008_access_log_seq_hmac`: the entries written before it
are numbered in chain order, keep their SHA-256 hashes, and get the log's start row."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from practice import accesslog
from practice.models import AccessLogEntry, AccessLogStart

migration = importlib.import_module("practice.migrations.0008_access_log_seq_hmac")


class _Editor:
    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _unkeyed(pk: int, previous_hash: str) -> AccessLogEntry:
    """An entry as the log wrote it before the migration, numbered out of the way (the
    migration's numbers replace these)."""
    entry = AccessLogEntry(
        pk=pk,
        at=timezone.now() - datetime.timedelta(days=pk),
        username="practitioner",
        action="read",
        outcome="allowed",
        channel="web",
        record_type="client",
        record_id="1",
        seq=100 + pk,
        previous_hash=previous_hash,
        hash_scheme="sha256",
    )
    values = {name: getattr(entry, name) for name in accesslog.CANONICAL_FIELDS}
    entry.hash = accesslog.chain_hash(previous_hash, values, "sha256")
    AccessLogEntry.objects.bulk_create([entry])  # `save` refuses an entry with an id
    return entry


@pytest.fixture
def written_before(db) -> list[AccessLogEntry]:
    """A chain whose ids are not in its order (3, then 1, then 2), and an entry (4) that
    follows none of them; without the database's guard, as the migration runs."""
    migration.unguard(apps, _Editor())
    chain, previous = [], accesslog.GENESIS_HASH
    for pk in (3, 1, 2):
        chain.append(_unkeyed(pk, previous))
        previous = chain[-1].hash
    return [*chain, _unkeyed(4, "a" * 64)]


def test_the_entries_are_numbered_in_chain_order_and_the_unreached_after_them(written_before):
    migration.number_entries(apps, _Editor())
    numbers = dict(AccessLogEntry.objects.values_list("pk", "seq"))
    assert numbers == {3: 1, 1: 2, 2: 3, 4: 4}


def test_the_first_entry_gets_the_start_row_and_the_chain_verifies_up_to_the_break(
    written_before,
):
    migration.number_entries(apps, _Editor())
    migration.hold_start(apps, _Editor())
    assert list(AccessLogStart.objects.values_list("entry_id", flat=True)) == [3]
    report = accesslog.verify_chain()
    assert (report.newest_seq, report.first_break.entry_id) == (3, 4)
    assert "does not follow" in report.first_break.reason


def test_on_an_empty_log_it_does_nothing(db):
    migration.number_entries(apps, _Editor())
    migration.hold_start(apps, _Editor())
    assert not AccessLogStart.objects.exists()
