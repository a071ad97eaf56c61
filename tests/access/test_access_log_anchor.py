"""`manage.py access_log_anchor [--output FILE]`: the head of the access log (number,
hash, time) as JSON, to keep outside the database; never the head of a broken chain, and
never over an anchor the log no longer holds."""

import datetime
import importlib
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from practice import accesslog
from practice.models import AccessAction, AccessLogEntry

TABLE = AccessLogEntry._meta.db_table
migration = importlib.import_module("practice.migrations.0008_access_log_seq_hmac")


class _Editor:
    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _without_triggers(sql: str, params=()) -> None:
    migration.unguard(None, _Editor())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def entries(request_by, owner, sanne) -> list[AccessLogEntry]:
    return [
        accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne) for _ in range(3)
    ]


def _anchor(**options) -> str:
    out = StringIO()
    call_command("access_log_anchor", stdout=out, **options)
    return out.getvalue()


def test_it_writes_the_newest_entrys_number_hash_and_time(entries, tmp_path):
    path = tmp_path / "anchor.json"
    output = _anchor(output=str(path))
    saved = json.loads(path.read_text())
    newest = entries[-1]
    assert (saved["seq"], saved["hash"], saved["hash_scheme"]) == (3, newest.hash, "hmac-sha256")
    assert datetime.datetime.fromisoformat(saved["at"]) == newest.at
    assert datetime.datetime.fromisoformat(saved["anchored_at"]) >= newest.at
    assert output == f"Anchored the access log at number 3 (hash {newest.hash}) in {path}.\n"


def test_without_a_file_it_writes_the_anchor_to_standard_output(entries):
    assert json.loads(_anchor())["seq"] == 3


def test_an_empty_log_is_anchored_at_number_0(db):
    saved = json.loads(_anchor())
    assert (saved["seq"], saved["hash"]) == (0, accesslog.GENESIS_HASH)


def test_it_moves_an_earlier_anchor_on(entries, tmp_path, request_by, owner, sanne):
    path = tmp_path / "anchor.json"
    _anchor(output=str(path))
    accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    _anchor(output=str(path))
    assert json.loads(path.read_text())["seq"] == 4


def test_it_refuses_to_anchor_a_broken_chain(entries, tmp_path):
    _without_triggers(f"UPDATE {TABLE} SET username = 'mallory' WHERE id = %s", [entries[1].pk])
    path = tmp_path / "anchor.json"
    with pytest.raises(CommandError, match=f"at entry {entries[1].pk}: .* Nothing was written"):
        _anchor(output=str(path))
    assert not path.exists()


def test_it_keeps_an_anchor_the_log_no_longer_holds(entries, tmp_path):
    """A cron job moving the anchor on cannot adopt a log that was cut short meanwhile."""
    path = tmp_path / "anchor.json"
    _anchor(output=str(path))
    before = path.read_text()
    _without_triggers(f"DELETE FROM {TABLE} WHERE id = %s", [entries[2].pk])
    with pytest.raises(CommandError, match="the log ends at number 2, but the anchor"):
        _anchor(output=str(path))
    assert path.read_text() == before
