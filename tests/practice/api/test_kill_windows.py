"""A worker killed in the windows that random kills rarely hit leaves nothing half-written
(issue #12, findings 2 and 3).

gunicorn serves the test database; another connection holds a lock on the access log, so
the worker stops exactly where a write appends its entry: after the protocol's (or the
consult's) rows and the staged PDF file, before the commit. The test waits until the
worker is blocked there, kills gunicorn's whole process group with SIGKILL, and releases
the lock. Nothing may be committed, no PDF may stand under a protocol's name, and
`verify_media --repair` removes the staged fragment.

PostgreSQL only: its table lock stops the worker mid-transaction. SQLite locks the whole
database at the transaction's start (`BEGIN IMMEDIATE`), before anything is staged.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from practice.models import AccessLogEntry, Consult, Protocol
from tests.factories import api_token

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's table locks (see above)"
    ),
]

ROOT = Path(__file__).resolve().parents[3]
LOG_TABLE = AccessLogEntry._meta.db_table


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _params() -> dict:
    """How to reach the test database, as psycopg takes it."""
    params = connection.get_connection_params()
    return {key: params[key] for key in ("dbname", "user", "host", "port") if params.get(key)}


def _database_url() -> str:
    params = _params()
    query = "&".join(f"{key}={params[key]}" for key in ("host", "port") if key in params)
    return f"postgres://{params['user']}@/{params['dbname']}?{query}"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def kill(self) -> None:
        """SIGKILL to the master and its worker: the whole process group."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def server(media):
    """gunicorn, one worker, on the test database, in a process group of its own."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gutbrain.settings_test",
        "DATABASE_URL": _database_url(),
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ACCESS_LOG_KEY": settings.ACCESS_LOG_KEY,
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "gutbrain.wsgi:application",
            "--workers=1",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.2)
    else:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("gunicorn did not answer within a minute")
    yield Server(f"http://127.0.0.1:{port}", process)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.fixture
def log_lock():
    """Another connection holding the access log: readers pass, appends wait."""
    holder = psycopg.connect(**_params())
    holder.execute(f"LOCK TABLE {LOG_TABLE} IN EXCLUSIVE MODE")  # a transaction begins
    yield holder
    holder.rollback()
    holder.close()


def wait_until_blocked(holder: psycopg.Connection) -> None:
    query = (
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE c.relname = %s AND NOT l.granted"
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if holder.execute(query, [LOG_TABLE]).fetchone()[0]:
            return
        time.sleep(0.05)
    pytest.fail("the worker never reached the access log")


def post_in_background(url: str, token: str, body: dict) -> threading.Thread:
    """The request, sent from a thread: its answer never comes (the worker is killed)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )

    def send() -> None:
        with contextlib.suppress(OSError, urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=120)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


def test_a_kill_between_the_staged_pdf_and_the_commit_leaves_no_protocol_and_no_pdf(
    server, log_lock, media, practitioner, sannes_consult
):
    token = api_token(practitioner)
    sent = post_in_background(
        f"{server.url}/api/v1/consults/{sannes_consult.pk}/protocols/",
        token,
        {"acknowledgements": [{"nutrient": "tryptophan", "reason": "Overlegd."}]},
    )
    wait_until_blocked(log_lock)
    staged = stored_files(media)
    assert [p.suffix for p in staged] == [".part"], "stopped between the file and the commit"

    server.kill()
    log_lock.rollback()  # the worker's connection would go on, had it not been killed
    sent.join(timeout=30)

    assert not Protocol.objects.exists()
    assert not AccessLogEntry.objects.filter(action="create").exists()
    assert not any(p.name.endswith(".pdf") for p in stored_files(media))
    out = StringIO()
    call_command("verify_media", "--repair", stdout=out)
    assert "fragment" in out.getvalue()
    assert stored_files(media) == []
    call_command("verify_access_log", stdout=StringIO())


def test_a_kill_between_a_consults_rows_and_its_log_entry_leaves_no_consult(
    server, log_lock, practitioner, sanne
):
    before = Consult.objects.count()
    sent = post_in_background(
        f"{server.url}/api/v1/consults/",
        api_token(practitioner),
        {"client": sanne.pk, "date": "2026-11-03"},
    )
    wait_until_blocked(log_lock)

    server.kill()
    log_lock.rollback()
    sent.join(timeout=30)

    assert Consult.objects.count() == before
    assert not AccessLogEntry.objects.filter(action="create").exists()
    call_command("verify_access_log", stdout=StringIO())
