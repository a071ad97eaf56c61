"""`manage.py backup`: every record of the installation and its stored files, as one archive.

The archive (`.tar.gz`) holds three kinds of member:

- `data.json`: every row of every model (knowledge base with its history, practice records,
  users, groups, memberships, tokens, the admin's log) in Django's JSON serialization, the
  format `dumpdata` writes, with times to the microsecond. Rows keep their ids; content
  types and permissions, which `migrate` makes, are not in it and are named by their
  natural keys, and so are users and groups where other rows refer to them.
- `media/<name>`: every file a row refers to (the issued protocols' PDFs, practice logos),
  under the name the row holds, read through the default storage (MEDIA_ROOT, or the S3
  bucket of DJANGO_MEDIA_S3_BUCKET).
- `manifest.json`: the row count of every model, the applied migrations, and the size and
  SHA-256 of every other member. `manage.py restore` checks it before it touches anything.

Shared with `restore`, which imports what it needs from here.
"""

import argparse
import datetime
import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone

from gutbrain.errors import storage_errors

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA_DIR = "media"
# Made by `migrate` on every installation; rows refer to them by natural key.
MADE_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}
# Logins in progress, not records: restoring them would bring old sessions back to life.
NOT_RECORDS = {"sessions.session"}
CHUNK_SIZE = 2000

PG_DUMP_HELP = """
For a large installation on PostgreSQL, use the database's own tools instead; pg_dump
reads one consistent snapshot too, and copies the stored files separately:

  pg_dump --format=custom --file=gutbrain.dump "$DATABASE_URL"
  tar -czf gutbrain-media.tar.gz -C "$DJANGO_MEDIA_ROOT" .

and restore into a new database (created, not migrated) with the same version of
gutbrain:

  pg_restore --no-owner --dbname="$DATABASE_URL" gutbrain.dump
  tar -xzf gutbrain-media.tar.gz -C "$DJANGO_MEDIA_ROOT"
"""


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of the commands' help (the pg_dump steps)."""


def backed_up_models() -> list[type[models.Model]]:
    """Every model whose rows the backup holds, each after the models it refers to by
    natural key (users before the rows that name them)."""
    app_list: dict = {}
    for model in apps.get_models():
        opts = model._meta
        if opts.proxy or not opts.managed or opts.label_lower in MADE_BY_MIGRATE | NOT_RECORDS:
            continue
        app_list.setdefault(opts.app_config, []).append(model)
    return serializers.sort_dependencies(app_list.items())


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    recorder = MigrationRecorder(connections[DEFAULT_DB_ALIAS])
    for app_label, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def sha256_of(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _natural_key_relations(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and hasattr(f.related_model, "natural_key")
    ]


def _rows(model: type[models.Model]) -> models.QuerySet:
    """All rows in id order, with what the serializer follows fetched in a few queries."""
    rows = model._base_manager.order_by("pk")
    if related := _natural_key_relations(model):
        rows = rows.select_related(*related)
    prefetches = []
    for field in model._meta.many_to_many:
        if field.remote_field.through._meta.auto_created:  # others are models of their own
            remote = field.related_model._base_manager.all()
            if related := _natural_key_relations(field.related_model):
                remote = remote.select_related(*related)
            prefetches.append(Prefetch(field.name, queryset=remote))
    return rows.prefetch_related(*prefetches)


class ExactJSONEncoder(DjangoJSONEncoder):
    """Keeps the microseconds of times, which Django's encoder cuts to milliseconds (as
    JavaScript reads them): a restore must give back every value as it was."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _HashingReader:
    """Hands the file's bytes to `tarfile` and hashes them on the way."""

    def __init__(self, raw):
        self.raw = raw
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.hash.update(chunk)
        return chunk


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    return info


class Command(BaseCommand):
    help = (
        "Write every record (the knowledge base and its history, clients, consults,\n"
        "protocols, users, groups, tokens) and every stored file (protocol PDFs, logos) to\n"
        "one .tar.gz archive, read from one consistent snapshot of the database. The\n"
        "archive holds medical records: store it encrypted. `manage.py restore` loads it.\n"
        + PG_DUMP_HELP
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs["formatter_class"] = HelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="PATH",
            help="Where to write the archive (default: var/backups/gutbrain-<time>.tar.gz).",
        )

    def handle(self, *args, output: str | None = None, **options) -> None:
        path = Path(output) if output else self._default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / DATA
            counts, media, migrations = self._dump(data)
            try:
                missing = sorted(name for name in media if not default_storage.exists(name))
                if missing:
                    raise CommandError(
                        "These stored files are referred to by records but are missing from "
                        f"the storage; no backup was written: {', '.join(missing)}. "
                        "`python manage.py verify_media --repair` renders protocols' PDFs "
                        "again from their snapshots; then back up again."
                    )
                files = self._write_archive(path, data, sorted(media), counts, migrations)
            except storage_errors() as exc:
                if isinstance(exc, OSError):  # the local disk: as it says
                    raise
                raise CommandError(
                    f"The storage cannot be reached ({exc}); no backup was written."
                ) from exc
        total = sum(counts.values())
        if options["verbosity"] >= 2:
            for label, count in counts.items():
                self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {total} records of {len(counts)} tables and {len(files) - 1} "
                f"stored files to {path}."
            )
        )

    def _default_path(self) -> Path:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        return Path(settings.VAR_DIR) / "backups" / f"gutbrain-{stamp}.tar.gz"

    def _dump(self, data: Path) -> tuple[dict[str, int], set[str], dict[str, list[str]]]:
        """Serializes every row into `data` from one snapshot of the database: on
        PostgreSQL a read-only REPEATABLE READ transaction, on SQLite a read transaction,
        which holds its lock until the end. Inside a caller's transaction, that one."""
        connection = connections[DEFAULT_DB_ALIAS]
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            counts: dict[str, int] = {}
            media: set[str] = set()

            def every_row() -> Iterator[models.Model]:
                for model in backed_up_models():
                    label = model._meta.label_lower
                    counts[label] = 0
                    fields = file_fields(model)
                    for row in _rows(model).iterator(chunk_size=CHUNK_SIZE):
                        counts[label] += 1
                        media.update(getattr(row, f.attname).name for f in fields)
                        yield row

            with data.open("w", encoding="utf-8") as stream:
                serializers.serialize(
                    "json",
                    every_row(),
                    stream=stream,
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=False,
                    cls=ExactJSONEncoder,
                )
            migrations = applied_migrations()
        media.discard("")
        media.discard(None)
        return counts, media, migrations

    def _write_archive(
        self,
        path: Path,
        data: Path,
        media: list[str],
        counts: dict[str, int],
        migrations: dict[str, list[str]],
    ) -> dict[str, dict]:
        """Writes the archive next to `path` and moves it there when complete, so a
        failed run never leaves a half archive under the name. Readable by the owner only."""
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                files = {DATA: {"size": data.stat().st_size, "sha256": sha256_of(data)}}
                with data.open("rb") as f:
                    tar.addfile(_member(DATA, files[DATA]["size"]), f)
                for name in media:
                    size = default_storage.size(name)
                    with default_storage.open(name, "rb") as f:
                        reader = _HashingReader(f)
                        tar.addfile(_member(f"{MEDIA_DIR}/{name}", size), reader)
                    files[f"{MEDIA_DIR}/{name}"] = {"size": size, "sha256": reader.hash.hexdigest()}
                manifest = {
                    "format": ARCHIVE_FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "database_vendor": connections[DEFAULT_DB_ALIAS].vendor,
                    "migrations": migrations,
                    "counts": counts,
                    "files": files,
                }
                encoded = json.dumps(manifest, indent=2, sort_keys=True).encode()
                tar.addfile(_member(MANIFEST, len(encoded)), io.BytesIO(encoded))
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return files
