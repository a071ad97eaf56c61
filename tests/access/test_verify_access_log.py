"""`manage.py verify_access_log [--anchor FILE]`: walks the hash chain and names the first
broken entry; against an anchor saved outside the database (`access_log_anchor`), also
finds the log emptied, cut short or rewritten from the start.

Tampering needs the database's guard out of the way first, as an intruder with direct
access to the database would do: the tests drop the triggers inside the test's
transaction, which puts them back when it rolls back. The intruder has the database, not
the log's key (`DJANGO_ACCESS_LOG_KEY`).
"""

import datetime
import importlib
from io import StringIO

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from practice import accesslog
from practice.models import AccessAction, AccessLogEntry, AccessLogStart

TABLE = AccessLogEntry._meta.db_table
migration = importlib.import_module("practice.migrations.0008_access_log_seq_hmac")


class _Editor:
    """What the migration's functions use of a schema editor."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _without_triggers(sql: str, params=()) -> None:
    migration.unguard(None, _Editor())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _rewrite_without_the_key(username: str) -> None:
    """All an intruder without the key can do to hide a change: give an entry another
    username, then recompute every hash with plain SHA-256, labelled as written before the
    log had a key, so that the chain verifies again."""
    previous = accesslog.GENESIS_HASH
    for values in AccessLogEntry.objects.order_by("seq").values():
        if values["seq"] == 2:
            values["username"] = username
        rehashed = accesslog.chain_hash(previous, values, "sha256")
        _without_triggers(
            f"UPDATE {TABLE} SET username = %s, previous_hash = %s, hash = %s, "
            "hash_scheme = 'sha256' WHERE id = %s",
            [values["username"], previous, rehashed, values["id"]],
        )
        previous = rehashed


def _unkeyed_entries(count: int) -> list[AccessLogEntry]:
    """Entries as the log wrote them before it had a key."""
    entries, previous = [], accesslog.GENESIS_HASH
    for seq in range(1, count + 1):
        entry = AccessLogEntry(
            at=timezone.now() - datetime.timedelta(days=30 - seq),
            username="practitioner",
            action="read",
            outcome="allowed",
            channel="web",
            record_type="client",
            record_id="1",
            seq=seq,
            previous_hash=previous,
            hash_scheme="sha256",
        )
        values = {name: getattr(entry, name) for name in accesslog.CANONICAL_FIELDS}
        entry.hash = accesslog.chain_hash(previous, values, "sha256")
        entry.save()
        entries.append(entry)
        previous = entry.hash
    return entries


@pytest.fixture
def entries(request_by, owner, sanne) -> list[AccessLogEntry]:
    return [
        accesslog.record(request_by(owner), action=action, obj=sanne)
        for action in (AccessAction.READ, AccessAction.UPDATE, AccessAction.PRINT)
    ]


@pytest.fixture
def anchor(entries, tmp_path) -> str:
    """The anchor of the three entries, saved before the tampering."""
    path = tmp_path / "access-log-anchor.json"
    call_command("access_log_anchor", output=str(path), stdout=StringIO())
    return str(path)


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_access_log", *args, stdout=out)
    return out.getvalue()


def test_an_intact_log_passes_with_its_length_and_newest_hash(entries):
    output = _verify()
    assert "intact: 3 entries" in output
    assert entries[-1].hash in output


def test_an_intact_log_passes_against_its_anchor(anchor, entries, request_by, owner, sanne):
    accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    output = _verify("--anchor", anchor)
    assert "intact: 4 entries" in output
    assert "it holds the anchor's number 3" in output


def test_a_changed_entry_is_named(entries):
    _without_triggers(f"UPDATE {TABLE} SET username = 'mallory' WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=f"at entry {entries[1].pk}: its content"):
        _verify()


def test_a_changed_time_is_named(entries):
    _without_triggers(f"UPDATE {TABLE} SET at = %s WHERE id = %s", ["2020-01-01", entries[0].pk])
    with pytest.raises(CommandError, match=f"at entry {entries[0].pk}: its content"):
        _verify()


def test_a_removed_entry_leaves_a_gap_named_by_the_entry_after_it(entries):
    _without_triggers(f"DELETE FROM {TABLE} WHERE id = %s", [entries[1].pk])
    with pytest.raises(
        CommandError, match=f"at entry {entries[2].pk}: it is numbered 3 after 1: the entries"
    ):
        _verify()


def test_a_gap_in_the_numbers_is_named_even_where_the_hashes_link(entries):
    _without_triggers(f"UPDATE {TABLE} SET seq = 7 WHERE id = %s", [entries[2].pk])
    with pytest.raises(CommandError, match=f"at entry {entries[2].pk}: it is numbered 7 after 2"):
        _verify()


def test_removing_the_oldest_entries_shows(entries):
    _without_triggers(f"DELETE FROM {AccessLogStart._meta.db_table}")
    _without_triggers(f"DELETE FROM {TABLE} WHERE id = %s", [entries[0].pk])
    with pytest.raises(CommandError, match=f"at entry {entries[1].pk}: it is numbered 2, not 1"):
        _verify()


def test_the_start_row_removed_is_named(entries):
    _without_triggers(f"DELETE FROM {AccessLogStart._meta.db_table}")
    with pytest.raises(CommandError, match=f"at entry {entries[0].pk}: its start record"):
        _verify()


def test_a_changed_entry_rehashed_without_the_key_is_named(entries):
    values = AccessLogEntry.objects.values().get(pk=entries[1].pk)
    values["username"] = "mallory"
    rehashed = accesslog.chain_hash(values["previous_hash"], values, "sha256")
    _without_triggers(
        f"UPDATE {TABLE} SET username = 'mallory', hash = %s WHERE id = %s",
        [rehashed, entries[1].pk],
    )
    with pytest.raises(CommandError, match=f"at entry {entries[1].pk}: its content"):
        _verify()


def test_an_unkeyed_entry_after_keyed_ones_is_named(entries):
    values = AccessLogEntry.objects.values().get(pk=entries[2].pk)
    rehashed = accesslog.chain_hash(values["previous_hash"], values, "sha256")
    _without_triggers(
        f"UPDATE {TABLE} SET hash = %s, hash_scheme = 'sha256' WHERE id = %s",
        [rehashed, entries[2].pk],
    )
    with pytest.raises(CommandError, match=f"at entry {entries[2].pk}: it has an unkeyed hash"):
        _verify()


def test_entries_hashed_with_another_key_are_named(entries):
    with (
        override_settings(ACCESS_LOG_KEY="another key of at least thirty-two characters"),
        pytest.raises(CommandError, match=f"at entry {entries[0].pk}: its content"),
    ):
        _verify()


def test_every_hash_recomputed_without_the_key_is_found_against_the_anchor(anchor, entries):
    _rewrite_without_the_key("mallory")
    assert "intact: 3 entries" in _verify()  # the chain alone cannot tell
    with pytest.raises(
        CommandError,
        match=f"at entry {entries[2].pk}: it is number 3 of the anchor of .*, hashed "
        "hmac-sha256 then and sha256 now: the chain was rewritten without the key",
    ):
        _verify("--anchor", anchor)


def test_emptying_the_log_is_found_against_the_anchor(anchor):
    _without_triggers(f"DELETE FROM {AccessLogStart._meta.db_table}")
    _without_triggers(f"DELETE FROM {TABLE}")
    assert "intact: 0 entries" in _verify()  # the chain alone cannot tell
    with pytest.raises(
        CommandError, match=r"broken: the log is empty, but the anchor of .* names number 3"
    ):
        _verify("--anchor", anchor)


def test_entries_removed_from_the_end_are_found_against_the_anchor(anchor, entries):
    _without_triggers(f"DELETE FROM {TABLE} WHERE id = %s", [entries[2].pk])
    assert "intact: 2 entries" in _verify()  # the chain alone cannot tell
    with pytest.raises(CommandError, match="the log ends at number 2, but the anchor"):
        _verify("--anchor", anchor)


def test_entries_written_before_the_key_followed_by_keyed_ones_are_intact(
    request_by, owner, sanne, tmp_path
):
    unkeyed = _unkeyed_entries(2)
    keyed = accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    assert (keyed.seq, keyed.previous_hash, keyed.hash_scheme) == (
        3,
        unkeyed[-1].hash,
        "hmac-sha256",
    )
    path = tmp_path / "anchor.json"
    call_command("access_log_anchor", output=str(path), stdout=StringIO())
    accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    assert "intact: 4 entries" in _verify("--anchor", str(path))


def test_a_forged_entry_appended_without_the_chain_is_named(entries):
    forged = AccessLogEntry(
        seq=4,
        action="read",
        outcome="allowed",
        channel="web",
        record_type="client",
        previous_hash="a" * 64,
        hash="b" * 64,
        hash_scheme="hmac-sha256",
    )
    forged.save()
    with pytest.raises(CommandError, match=f"at entry {forged.pk}: does not follow"):
        _verify()


def test_an_anchor_that_cannot_be_read_is_named(entries, tmp_path):
    path = tmp_path / "anchor.json"
    path.write_text('{"seq": "three"}')
    with pytest.raises(CommandError, match=f"The anchor {path} cannot be read"):
        _verify("--anchor", str(path))


def test_from_the_command_line_a_broken_chain_exits_non_zero(entries, capsys):
    _without_triggers(f"UPDATE {TABLE} SET outcome = 'refused' WHERE id = %s", [entries[2].pk])
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "verify_access_log"]).execute()
    assert exit_info.value.code == 1
    assert f"entry {entries[2].pk}" in capsys.readouterr().err


def test_from_the_command_line_an_emptied_log_exits_non_zero(anchor, capsys):
    _without_triggers(f"DELETE FROM {AccessLogStart._meta.db_table}")
    _without_triggers(f"DELETE FROM {TABLE}")
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "verify_access_log", "--anchor", anchor]).execute()
    assert exit_info.value.code == 1
    assert "it was emptied" in capsys.readouterr().err
