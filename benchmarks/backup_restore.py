"""How long `manage.py backup` and `manage.py restore --force` take for a clinic's records
(issue #12, finding 5: the goal is a restore of about 53,000 records within 60 s on
PostgreSQL).

The records are the "2,000-client set": the knowledge base with its history, 2,000 made-up
clients of ten practitioners with five consults each (`generate_demo_data`: medicines, own
supplements, complaints, supplement lines) and one issued protocol per practitioner, with
its PDF; about 49,500 records in all (`--clients 2150` makes the issue's 53,000).

They are made in a scratch database of their own, so that a caller's database (the
benchmark's, with its 100,000 clients) is neither measured nor replaced: a new database
on the PostgreSQL server of `DATABASE_URL`, dropped afterwards, or else a new SQLite file.
Every step runs as the command line runs it, `manage.py` in a process of its own, and the
times are those of the whole processes, Django's start included.

`python -m benchmarks.backup_restore [--clients N]` prints the figures; on PostgreSQL:

    bash -c 'source .ci/pg.sh && .venv/bin/python -m benchmarks.backup_restore'
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PRACTITIONERS = 10
CONSULTS_PER_CLIENT = 5

# Run by `manage.py shell` in the scratch database: one issued protocol per practitioner,
# as `benchmarks.run` issues them, so that the backup carries PDFs too.
ISSUE_PROTOCOLS = """
from django.contrib.auth.models import User
from benchmarks.run import issue
from practice.models import Consult
for user in User.objects.filter(username__startswith="demo-therapeut-"):
    issue(Consult.objects.filter(client__practitioner=user).order_by("pk").first(), user)
"""


def measure_backup_restore(report_or_dict, clients: int = 2000) -> dict:
    """Makes the set of `clients` clients in a scratch database, then times
    `manage.py backup` and `manage.py restore --force` of it.

    Answers {"backup_s": …, "restore_s": …, "records": …} (seconds, and the records the
    archive's manifest counts) and puts the same keys into `report_or_dict`: the
    `details` of a `benchmarks.run.Report`, or the dict itself.
    """
    with tempfile.TemporaryDirectory(prefix="gutbrain-backup-bench-") as tmp:
        scratch = Path(tmp)
        with _scratch_database(scratch) as database_url:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "gutbrain.settings",
                "DATABASE_URL": database_url,
                "DJANGO_MEDIA_ROOT": str(scratch / "media"),
            }
            _fill(env, clients)
            archive = scratch / "backup.tar.gz"
            backup_s = _timed_manage(env, "backup", "--output", str(archive))
            restore_s = _timed_manage(env, "restore", str(archive), "--force")
            with tarfile.open(archive) as tar:
                manifest = json.load(tar.extractfile("manifest.json"))
    result = {
        "backup_s": round(backup_s, 1),
        "restore_s": round(restore_s, 1),
        "records": sum(manifest["counts"].values()),
    }
    target = getattr(report_or_dict, "details", report_or_dict)
    target.update(result)
    return result


@contextmanager
def _scratch_database(scratch: Path) -> Iterator[str]:
    """The URL of a new, empty database: on the PostgreSQL server of `DATABASE_URL` if
    it names one (dropped on the way out), else an SQLite file in `scratch`."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{scratch / 'gutbrain.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"gutbrain_backup_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq_url(url), autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
        finally:
            server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def _libpq_url(url: str) -> str:
    """Django's `postgres://` URL as libpq reads it (it knows `postgresql://` only)."""
    return urlunsplit(urlsplit(url)._replace(scheme="postgresql"))


def _manage(env: dict[str, str], *args: str) -> None:
    """Runs `manage.py` quietly (`generate_demo_data` draws a progress bar); what it said
    goes into the exception when it fails."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args, "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout}{done.stderr}")


def _timed_manage(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    _manage(env, *args)
    return time.perf_counter() - started


def _fill(env: dict[str, str], clients: int) -> None:
    _manage(env, "migrate", "--no-input")
    _manage(env, "load_knowledge_base")
    _manage(
        env,
        "generate_demo_data",
        "--clients",
        str(clients),
        "--consults-per-client",
        str(CONSULTS_PER_CLIENT),
        "--practitioners",
        str(PRACTITIONERS),
    )
    _manage(env, "shell", "--command", ISSUE_PROTOCOLS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=2000)
    args = parser.parse_args()
    print(json.dumps(measure_backup_restore({}, clients=args.clients)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
