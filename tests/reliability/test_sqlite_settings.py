"""The settings give every SQLite database a busy timeout, `IMMEDIATE` transactions and a
write-ahead log, and leave PostgreSQL alone; options in `DATABASE_URL` win."""

import json
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def database_settings(database_url: str) -> dict:
    """`DATABASES["default"]` as the real settings make it from `database_url`."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "gutbrain.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ACCESS_LOG_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
    }
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'], default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_a_sqlite_database_waits_for_its_lock_and_keeps_a_write_ahead_log(tmp_path):
    database = database_settings(f"sqlite:///{tmp_path / 'practice.sqlite3'}")

    options = database["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert "PRAGMA journal_mode=WAL" in options["init_command"]
    assert "PRAGMA synchronous=NORMAL" in options["init_command"]


def test_options_in_the_url_win(tmp_path):
    database = database_settings(
        f"sqlite:///{tmp_path / 'practice.sqlite3'}?timeout=5&transaction_mode=DEFERRED"
    )

    assert database["OPTIONS"]["timeout"] == 5
    assert database["OPTIONS"]["transaction_mode"] == "DEFERRED"
    assert "PRAGMA journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_postgresql_gets_none_of_them():
    database = database_settings("postgres://gutbrain:secret@db.example.nl/gutbrain")

    assert database["ENGINE"] == "django.db.backends.postgresql"
    options = database.get("OPTIONS", {})
    assert "transaction_mode" not in options
    assert "timeout" not in options
    assert "init_command" not in options
