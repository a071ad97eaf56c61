"""The access log is append-only: Python refuses to change or delete an entry, and so does
the database (the triggers of migration 0004), on SQLite and PostgreSQL alike."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction

from practice import accesslog
from practice.models import AccessAction, AccessLogEntry

TABLE = AccessLogEntry._meta.db_table


@pytest.fixture
def entries(request_by, owner, sanne) -> list[AccessLogEntry]:
    return [
        accesslog.record(request_by(owner), action=action, obj=sanne)
        for action in (AccessAction.READ, AccessAction.UPDATE, AccessAction.PRINT)
    ]


def _refused_by_the_database(sql: str, params=()) -> None:
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_python_refuses_to_save_a_changed_entry(entries):
    entries[1].username = "mallory"
    with pytest.raises(ValidationError):
        entries[1].save()
    entries[1].refresh_from_db()
    assert entries[1].username == "practitioner"


def test_python_refuses_to_delete_an_entry(entries):
    with pytest.raises(ValidationError):
        entries[1].delete()
    assert AccessLogEntry.objects.count() == 3


def test_the_database_refuses_an_update(entries):
    _refused_by_the_database(
        f"UPDATE {TABLE} SET username = %s WHERE id = %s", ["mallory", entries[1].pk]
    )
    assert not AccessLogEntry.objects.filter(username="mallory").exists()


def test_the_database_refuses_a_bulk_update_that_skips_python(entries):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entries[0].pk).update(outcome="refused")


def test_the_database_refuses_to_delete_the_newest_entry(entries):
    _refused_by_the_database(f"DELETE FROM {TABLE} WHERE id = %s", [entries[-1].pk])
    assert AccessLogEntry.objects.count() == 3


def test_the_database_refuses_to_delete_an_entry_in_the_middle(entries):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entries[1].pk).delete()
    assert AccessLogEntry.objects.count() == 3


def test_emptying_the_whole_database_still_works(entries):
    """What `flush` and `restore` do; it leaves no partial chain behind."""
    for sql in connection.ops.sql_flush(no_style(), [TABLE]):
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert AccessLogEntry.objects.count() == 0
    assert accesslog.verify_chain().first_break is None
