"""`manage.py verify_access_log`: walks the hash chain; names the first broken entry.

Tampering needs the database's guard out of the way first, as an intruder with direct
access to the database would do: the tests drop the triggers inside the test's
transaction, which puts them back when it rolls back.
"""

import importlib
from io import StringIO

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connection

from practice import accesslog
from practice.models import AccessAction, AccessLogEntry

TABLE = AccessLogEntry._meta.db_table
migration = importlib.import_module("practice.migrations.0004_access_log")


class _Editor:
    """What the migration's functions use of a schema editor."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _without_triggers(sql: str, params=()) -> None:
    migration.drop_append_only(None, _Editor())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def entries(request_by, owner, sanne) -> list[AccessLogEntry]:
    return [
        accesslog.record(request_by(owner), action=action, obj=sanne)
        for action in (AccessAction.READ, AccessAction.UPDATE, AccessAction.PRINT)
    ]


def _verify() -> str:
    out = StringIO()
    call_command("verify_access_log", stdout=out)
    return out.getvalue()


def test_an_intact_log_passes_with_its_length_and_newest_hash(entries):
    output = _verify()
    assert "intact: 3 entries" in output
    assert entries[-1].hash in output


def test_a_changed_entry_is_named(entries):
    _without_triggers(f"UPDATE {TABLE} SET username = 'mallory' WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=f"at entry {entries[1].pk}: its content"):
        _verify()


def test_a_changed_time_is_named(entries):
    _without_triggers(f"UPDATE {TABLE} SET at = %s WHERE id = %s", ["2020-01-01", entries[0].pk])
    with pytest.raises(CommandError, match=f"at entry {entries[0].pk}: its content"):
        _verify()


def test_a_removed_entry_is_named_by_the_entry_after_it(entries):
    _without_triggers(f"DELETE FROM {TABLE} WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=f"at entry {entries[2].pk}: does not follow"):
        _verify()


def test_removing_the_oldest_entries_shows(entries):
    _without_triggers(f"DELETE FROM {TABLE} WHERE id = %s", [entries[0].pk])
    with pytest.raises(CommandError, match=f"at entry {entries[1].pk}: does not follow"):
        _verify()


def test_a_rehashed_entry_that_no_longer_follows_its_successor_is_found(entries):
    """Recomputing one entry's hash after changing it breaks the link to the next."""
    values = AccessLogEntry.objects.values().get(pk=entries[1].pk)
    values["username"] = "mallory"
    rehashed = accesslog.chain_hash(values["previous_hash"], values)
    _without_triggers(
        f"UPDATE {TABLE} SET username = 'mallory', hash = %s WHERE id = %s",
        [rehashed, entries[1].pk],
    )
    with pytest.raises(CommandError, match=f"at entry {entries[2].pk}: does not follow"):
        _verify()


def test_a_forged_entry_appended_without_the_chain_is_named(entries):
    forged = AccessLogEntry(
        action="read",
        outcome="allowed",
        channel="web",
        record_type="client",
        previous_hash="a" * 64,
        hash="b" * 64,
    )
    forged.save()
    with pytest.raises(CommandError, match=f"at entry {forged.pk}: does not follow"):
        _verify()


def test_from_the_command_line_a_broken_chain_exits_non_zero(entries, capsys):
    _without_triggers(f"UPDATE {TABLE} SET outcome = 'refused' WHERE id = %s", [entries[2].pk])
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "verify_access_log"]).execute()
    assert exit_info.value.code == 1
    assert f"entry {entries[2].pk}" in capsys.readouterr().err
