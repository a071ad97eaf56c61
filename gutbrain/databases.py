"""The database connection: SQLite made safe for a practice with a few concurrent users.

With SQLite's defaults, two gunicorn workers writing at once answered half their writes
with 500 "database is locked" (issue #12): a transaction began deferred, read, and could
then not take the write lock another connection held, and SQLite refuses at once rather
than wait (waiting could deadlock). So every SQLite database:

- begins its transactions `IMMEDIATE`, taking the write lock up front, where waiting is
  safe;
- waits up to `timeout` seconds for that lock instead of failing at once;
- keeps a write-ahead log (WAL), so readers do not wait for a writer and a writer does
  not wait for readers; `synchronous=NORMAL` is durable in WAL mode against a crash of
  the process (a power cut may lose the last commits, never corrupt the file).

Options given in `DATABASE_URL`'s query win over these, key by key:
`sqlite:///var/gutbrain.sqlite3?timeout=5&transaction_mode=DEFERRED`.
"""

from typing import Any

SQLITE_ENGINE = "django.db.backends.sqlite3"

SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    # Django turns foreign keys on by itself; said here too for whoever reads the settings.
    "init_command": ("PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"),
}


def with_sqlite_options(database: dict[str, Any]) -> dict[str, Any]:
    """`database` (one entry of `DATABASES`) with `SQLITE_OPTIONS` under its own
    `OPTIONS`, if it is SQLite; any other engine as it was."""
    if database.get("ENGINE") != SQLITE_ENGINE:
        return database
    return {**database, "OPTIONS": {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}}
