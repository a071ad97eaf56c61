"""The access log is append-only: Python refuses to change or delete an entry, and so does
the database (the triggers of migration 0008 and the foreign key of `AccessLogStart`), on
SQLite and PostgreSQL alike. Only emptying the whole database (`flush`) empties the log."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, transaction

from practice import accesslog
from practice.models import AccessAction, AccessLogEntry, AccessLogStart

TABLE = AccessLogEntry._meta.db_table
START = AccessLogStart._meta.db_table
# These tests commit, as a `DELETE FROM` in a shell does: SQLite checks the start row's
# foreign key only then. The flush that empties the database after each shows that
# emptying the whole database still works.
commits = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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


def test_the_database_writes_the_start_row_with_the_first_entry(entries):
    assert list(AccessLogStart.objects.values_list("entry_id", flat=True)) == [entries[0].pk]


def test_the_database_refuses_to_change_the_start_row(entries):
    _refused_by_the_database(f"UPDATE {START} SET entry_id = %s", [entries[1].pk])


def test_emptying_the_whole_database_still_works(entries):
    """What `flush` and `restore --force` do; it leaves no partial chain behind."""
    connection.check_constraints()  # the entries' commit (PostgreSQL truncates no table
    # with checks pending)
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), [TABLE, START]):
            cursor.execute(sql)
        connection.check_constraints()  # what the commit checks
    assert AccessLogEntry.objects.count() == 0
    assert accesslog.verify_chain().first_break is None


@commits
def test_the_database_refuses_to_empty_the_log(entries):
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
    assert AccessLogEntry.objects.count() == 3


@commits
def test_the_database_refuses_to_delete_the_oldest_entry(entries):
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entries[0].pk])
    assert AccessLogEntry.objects.count() == 3


@commits
@pytest.mark.skipif(connection.vendor != "sqlite", reason="a pragma of SQLite")
def test_sqlite_without_foreign_keys_refuses_every_delete(entries):
    """As in the `sqlite3` shell (`dbshell`), which does not enforce foreign keys."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        try:
            for table in (START, TABLE):
                with pytest.raises(IntegrityError, match="append-only"):
                    cursor.execute(f"DELETE FROM {table}")
        finally:
            cursor.execute("PRAGMA foreign_keys = ON")
    assert AccessLogEntry.objects.count() == 3
    assert AccessLogStart.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE of PostgreSQL")
def test_postgresql_refuses_to_truncate_the_log_alone(entries):
    with (
        pytest.raises(DatabaseError, match="foreign key"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"TRUNCATE {TABLE}")
    assert AccessLogEntry.objects.count() == 3
