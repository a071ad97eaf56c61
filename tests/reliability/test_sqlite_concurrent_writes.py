"""Writers on separate connections to one SQLite file, all at once, as gunicorn's workers
and threads are: none is refused with "database is locked" (issue #12), and no update is
lost. Each transaction reads, then writes, the pattern that failed with SQLite's deferred
transactions.

The writers use a SQLite file of their own (the test database is in memory, which has no
file locks to contend for) under the settings' own options. The test is outside Django's
test-case wrapping, as a transactional test would be, and more so: that wrapping refuses
threads a database alias it did not know when the test began."""

import threading

import pytest
from django.conf import settings
from django.db import connections, transaction

from gutbrain.databases import SQLITE_ENGINE

WRITERS = 8
WRITES_EACH = 25

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != SQLITE_ENGINE,
    reason="SQLite's locking; the suite runs on PostgreSQL",
)


@pytest.fixture
def practice_file(tmp_path, django_db_blocker):
    """An alias for a SQLite file with the settings' own options, with a counter table."""
    alias = "concurrent_writes"
    database = {
        "ENGINE": SQLITE_ENGINE,
        "NAME": str(tmp_path / "practice.sqlite3"),
        "OPTIONS": settings.DATABASES["default"]["OPTIONS"],
    }
    configured = connections.configure_settings({"default": {}, alias: database})
    connections.settings[alias] = configured[alias]
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n integer NOT NULL)")
            cursor.execute("INSERT INTO counter (n) VALUES (0)")
        connections[alias].close()
        yield alias
        connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


def test_concurrent_writers_are_not_refused_and_lose_nothing(practice_file):
    start = threading.Barrier(WRITERS)
    errors: list[Exception] = []

    def write() -> None:
        connection = connections[practice_file]  # this thread's own connection
        try:
            start.wait()
            for _ in range(WRITES_EACH):
                with transaction.atomic(using=practice_file), connection.cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    (n,) = cursor.fetchone()
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    writers = [threading.Thread(target=write) for _ in range(WRITERS)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)

    assert errors == []
    connection = connections[practice_file]
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone() == (WRITERS * WRITES_EACH,)
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
