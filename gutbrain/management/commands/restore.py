"""`manage.py restore PATH`: load an archive written by `manage.py backup`.

Everything is checked before anything is touched: the archive reads, holds exactly the
members its manifest lists with the sizes and SHA-256 sums it gives, was made with the
migrations this database has, and the database holds no records (unless `--force`). Then,
in one transaction, the tables are emptied, the rows loaded in bulk (raw inserts, as
`loaddata`'s raw saves: they pass the protocols' refusal to change and add no history),
the foreign keys checked, the sequences reset and the counts compared with the manifest;
the stored files are written through the default storage (the local folder or the S3
bucket) before the transaction commits and removed again if it does not.
"""

import contextlib
import hashlib
import itertools
import json
import shutil
import tarfile
import tempfile
import zlib
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.core.serializers import json as json_serializer
from django.core.serializers.base import DEFER_FIELD, DeserializationError, DeserializedObject
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.models.constants import OnConflict

from gutbrain.errors import storage_errors
from gutbrain.management.commands.backup import (
    ARCHIVE_FORMAT,
    DATA,
    MANIFEST,
    MEDIA_DIR,
    PG_DUMP_HELP,
    HelpFormatter,
    applied_migrations,
    backed_up_models,
    sha256_of,
)

# Rows that data migrations write (the staff groups, the access log's head at the genesis
# hash): they do not make a database non-empty, and the backup's own rows replace them.
# A new data migration that writes rows belongs here (the round-trip test says so).
MIGRATED_ROWS = {"auth.group", "practice.accessloghead"}
# Rows the database writes itself while others are loaded: a trigger writes the access
# log's start row with the entry numbered 1 (practice migration 0008). The backup's copy is
# inserted only where the trigger has not written it (as a raw save finds it there and
# leaves it); a start row that differs from the trigger's then shows in the counts.
WRITTEN_BY_TRIGGERS = {"practice.accesslogstart"}
# Rows per INSERT at most, fewer where the database limits the parameters of a query
# (SQLite: 999). Large enough that a round trip costs little per row, small enough that a
# table of up to 65 columns stays within PostgreSQL's 65,535 parameters of a statement.
BATCH_ROWS = 1000


def stored_sha256(name: str) -> str:
    with default_storage.open(name, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _member_name(member: tarfile.TarInfo) -> str:
    path = PurePosixPath(member.name)
    safe = (
        member.isfile()
        and not path.is_absolute()
        and all(part not in {"", ".", ".."} for part in path.parts)
        and (member.name in {MANIFEST, DATA} or path.parts[0] == MEDIA_DIR)
    )
    if not safe:
        raise CommandError(f"Not a gutbrain backup: unexpected member {member.name!r}.")
    return str(path)


def _unpack(archive: Path, into: Path) -> dict:
    """Copies every member into `into` and answers the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                target = into / _member_name(member)
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists():
                    raise CommandError(f"Not a gutbrain backup: {member.name!r} appears twice.")
                with tar.extractfile(member) as source, target.open("xb") as copy:
                    shutil.copyfileobj(source, copy)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise CommandError(f"Cannot read {archive} as a backup archive: {exc}") from exc
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(f"Not a gutbrain backup: no readable {MANIFEST} ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise CommandError(f"Not a gutbrain backup of format {ARCHIVE_FORMAT}.")
    for key in ("migrations", "counts", "files"):
        if not isinstance(manifest.get(key), dict):
            raise CommandError(f"Not a gutbrain backup: the manifest has no {key}.")
    return manifest


def _verify_members(manifest: dict, unpacked: Path) -> None:
    found = {
        path.relative_to(unpacked).as_posix() for path in unpacked.rglob("*") if path.is_file()
    } - {MANIFEST}
    listed = set(manifest["files"])
    problems = [f"missing: {name}" for name in sorted(listed - found)]
    problems += [f"not in the manifest: {name}" for name in sorted(found - listed)]
    for name in sorted(listed & found):
        expected = manifest["files"][name]
        path = unpacked / name
        if (path.stat().st_size, sha256_of(path)) != (expected.get("size"), expected.get("sha256")):
            problems.append(f"changed: {name}")
    if DATA not in listed:
        problems.append(f"missing: {DATA}")
    if problems:
        raise CommandError(
            "The archive does not match its manifest; nothing was restored. " + "; ".join(problems)
        )


def _check_schema(manifest: dict) -> list[type[models.Model]]:
    here = applied_migrations()
    if manifest["migrations"] != here:
        differences = []
        for app_label in sorted(set(here) | set(manifest["migrations"])):
            theirs = set(manifest["migrations"].get(app_label, []))
            ours = set(here.get(app_label, []))
            differences += [f"{app_label}.{name} only in the backup" for name in theirs - ours]
            differences += [f"{app_label}.{name} only here" for name in ours - theirs]
        raise CommandError(
            "The backup was made with other migrations than this database has; restore it "
            "with the version of gutbrain that made it, then upgrade. "
            + "; ".join(sorted(differences))
        )
    models_here = backed_up_models()
    labels = {model._meta.label_lower for model in models_here}
    if set(manifest["counts"]) != labels:
        raise CommandError(
            "The backup holds other tables than this installation: "
            + ", ".join(sorted(set(manifest["counts"]) ^ labels))
        )
    return models_here


def _records_held(models_here: list[type[models.Model]]) -> dict[str, int]:
    return {
        label: count
        for model in models_here
        if (label := model._meta.label_lower) not in MIGRATED_ROWS
        and (count := model._base_manager.count())
    }


def _media(manifest: dict) -> list[str]:
    prefix = f"{MEDIA_DIR}/"
    return sorted(name.removeprefix(prefix) for name in manifest["files"] if name != DATA)


def _conflicting_files(names: list[str], unpacked: Path) -> list[str]:
    """Stored files that exist under a name of the backup with other contents."""
    return [
        name
        for name in names
        if default_storage.exists(name)
        and stored_sha256(name) != sha256_of(unpacked / MEDIA_DIR / name)
    ]


class _Deserializer(json_serializer.Deserializer):
    """Django's JSON deserializer, handing out the rows in runs of one model, and looking
    up each natural key (the user a consult names, a permission) once.

    The rows a natural key names are loaded before those that name them (the backup
    orders them so, `backed_up_models`), so the loader inserts each run before the next
    one is read; Django's own deserializer would otherwise ask the database once per row
    for the same few users. A key not found yet is not remembered: the row's field is
    deferred, as `loaddata` defers it.
    """

    def __init__(self, stream, **options):
        super().__init__(stream, handle_forward_references=True, **options)
        self._found: dict[tuple, object] = {}

    def runs(self) -> Iterator[Iterator[DeserializedObject]]:
        """The rows, one iterator per run of rows of the same model, each to be used up
        before the next is taken."""
        for _label, nodes in itertools.groupby(self.stream, key=_model_label):
            yield (row for node in nodes for row in self._handle_object(node))

    def _handle_fk_field_node(self, field, field_value):
        if not isinstance(field_value, list):
            return super()._handle_fk_field_node(field, field_value)
        key = (field.remote_field.model, field.remote_field.field_name, json.dumps(field_value))
        if key not in self._found:
            found = super()._handle_fk_field_node(field, field_value)
            if found is DEFER_FIELD:
                return found
            self._found[key] = found
        return self._found[key]

    def _handle_m2m_field_node(self, field, field_value):
        if not isinstance(field_value, list) or not all(isinstance(v, list) for v in field_value):
            return super()._handle_m2m_field_node(field, field_value)
        pks = []
        for value in field_value:
            key = (field.remote_field.model, "pk", json.dumps(value))
            if key not in self._found:
                found = super()._handle_m2m_field_node(field, [value])
                if found is DEFER_FIELD:
                    return found
                [self._found[key]] = found
            pks.append(self._found[key])
        return pks


def _model_label(node) -> object:
    return node.get("model") if isinstance(node, dict) else None


def _insert(model: type[models.Model], objs: list[models.Model], fields, on_conflict=None):
    """INSERTs `objs` in batches of `BATCH_ROWS` rows at most, with their values as they
    are: raw, as `Model.save_base(raw=True)` inserts one row (`bulk_create` would set
    `auto_now` times anew)."""
    ops = connections[DEFAULT_DB_ALIAS].ops
    size = max(1, min(BATCH_ROWS, ops.bulk_batch_size(fields, objs)))
    for start in range(0, len(objs), size):
        model._base_manager._insert(
            objs[start : start + size],
            fields=fields,
            raw=True,
            using=DEFAULT_DB_ALIAS,
            on_conflict=on_conflict,
        )


def _insert_rows(model: type[models.Model], rows: list[DeserializedObject]) -> None:
    """The rows of one model, then their many-to-many references. The references'
    own rows get new ids, as `loaddata` gives them (the backup does not hold them)."""
    opts = model._meta
    on_conflict = OnConflict.IGNORE if opts.label_lower in WRITTEN_BY_TRIGGERS else None
    fields = [f for f in opts.local_concrete_fields if not f.generated]
    _insert(model, [row.object for row in rows], fields, on_conflict)
    links: dict[models.ManyToManyField, list[models.Model]] = defaultdict(list)
    for row in rows:
        for name, pks in row.m2m_data.items():
            field = opts.get_field(name)
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            links[field] += [through(**{source: row.object.pk, target: pk}) for pk in pks]
    for field, objs in links.items():
        through = field.remote_field.through
        link_fields = [f for f in through._meta.local_concrete_fields if not f.primary_key]
        _insert(through, objs, link_fields)


def _load_rows(data: Path) -> None:
    """What `loaddata` does, in bulk: the rows of each model in INSERTs of `BATCH_ROWS`,
    not one save each, and their many-to-many references likewise.

    As `loaddata`'s raw saves, the inserts keep every id and value (`auto_now` times too),
    call no `save()` (which refuses to change an issued protocol) and send no signals, so
    django-simple-history records nothing, not even for the many-to-many fields, which
    `loaddata` sets through their managers and so doubles the history on every restore.
    Rows may refer to rows loaded after them: the foreign keys are deferred to the commit
    on both databases (Django creates them DEFERRABLE INITIALLY DEFERRED) and checked by
    the caller at the end. A row whose natural key named nothing yet has that field saved
    once everything is in, as `loaddata` does.
    """
    with data.open(encoding="utf-8") as stream:
        deserializer = _Deserializer(stream)
    waiting = []
    for run in deserializer.runs():
        while batch := list(itertools.islice(run, BATCH_ROWS)):
            _insert_rows(type(batch[0].object), batch)
            waiting += [row for row in batch if row.deferred_fields]
    for row in waiting:
        row.object.skip_history_when_saving = True
        row.save_deferred_fields()


def _tables(models_here: list[type[models.Model]]) -> list[type[models.Model]]:
    """The models and their many-to-many tables."""
    tables = []
    for model in models_here:
        tables.append(model)
        tables += [
            field.remote_field.through
            for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        ]
    return tables


def _empty(tables: list[type[models.Model]]) -> None:
    """Deletes every row of the tables that hold any (in an empty database: the rows the
    migrations wrote). DELETE, not TRUNCATE: TRUNCATE is a privilege production roles
    need not have, and PostgreSQL wants every table that refers to a truncated one in the
    same statement."""
    connection = connections[DEFAULT_DB_ALIAS]
    filled = [model._meta.db_table for model in tables if model._base_manager.exists()]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in filled:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    except DatabaseError as exc:
        raise CommandError(
            f"The database refused to empty its tables ({exc}); nothing was restored. "
            "Append-only tables such as the access log cannot be emptied: restore into a "
            "new database."
        ) from exc


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty database (migrated\n"
        "to the same version). The archive is checked against its manifest first; the rows\n"
        "are loaded in one transaction, all or nothing, and the stored files put back.\n"
        + PG_DUMP_HELP
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs["formatter_class"] = HelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="The archive to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Replace what the database holds: every row of the backed-up tables is "
                "deleted in the same transaction, and stored files with other contents "
                "under a name of the backup are overwritten. Where the database refuses "
                "to delete rows (the access log's append-only trigger on PostgreSQL), "
                "nothing is restored: restore into a new database instead."
            ),
        )

    def handle(self, *args, path: str, force: bool = False, **options) -> None:
        try:
            self._restore(path, force, options["verbosity"])
        except storage_errors() as exc:
            if isinstance(exc, OSError):  # the local disk: as it says
                raise
            raise CommandError(
                f"The storage cannot be reached ({exc}); nothing was restored. Files already "
                "written are removed, or, while it stays unreachable, left for "
                "`manage.py verify_media --repair`."
            ) from exc

    def _restore(self, path: str, force: bool, verbosity: int) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            unpacked = Path(tmp)
            manifest = _unpack(Path(path), unpacked)
            _verify_members(manifest, unpacked)
            models_here = _check_schema(manifest)
            names = _media(manifest)
            if not force:
                held = _records_held(models_here)
                if held:
                    raise CommandError(
                        "The database already holds records; nothing was restored. Restore "
                        "into an empty database, or use --force to replace them: "
                        + ", ".join(f"{label} ({count})" for label, count in held.items())
                    )
                conflicts = _conflicting_files(names, unpacked)
                if conflicts:
                    raise CommandError(
                        "Stored files with other contents exist under names of the backup; "
                        "nothing was restored. Use --force to overwrite them: "
                        + ", ".join(conflicts)
                    )
            counts = self._load(manifest, unpacked, models_here, names)
        if verbosity >= 1:
            for label, count in counts.items():
                if count:
                    self.stdout.write(f"  {label}: {count}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored {sum(counts.values())} records of {len(counts)} tables and "
                    f"{len(names)} stored files from {path}."
                )
            )

    def _load(
        self,
        manifest: dict,
        unpacked: Path,
        models_here: list[type[models.Model]],
        names: list[str],
    ) -> dict[str, int]:
        connection = connections[DEFAULT_DB_ALIAS]
        written: list[str] = []
        try:
            with transaction.atomic():
                tables = _tables(models_here)
                _empty(tables)
                try:
                    _load_rows(unpacked / DATA)
                    connection.check_constraints(
                        table_names=[model._meta.db_table for model in tables]
                    )
                except (DeserializationError, DatabaseError) as exc:
                    raise CommandError(
                        f"The archive's rows could not be loaded; nothing was restored: {exc}"
                    ) from exc
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), models_here):
                        cursor.execute(sql)
                counts = {
                    model._meta.label_lower: model._base_manager.count() for model in models_here
                }
                if counts != manifest["counts"]:
                    wrong = sorted(
                        f"{label}: {counts[label]} instead of {manifest['counts'][label]}"
                        for label in counts
                        if counts[label] != manifest["counts"][label]
                    )
                    raise CommandError(
                        "The loaded rows do not match the manifest's counts; nothing was "
                        "restored. " + "; ".join(wrong)
                    )
                for name in names:
                    source = unpacked / MEDIA_DIR / name
                    if default_storage.exists(name):
                        if stored_sha256(name) == sha256_of(source):
                            continue
                        default_storage.delete(name)
                    with source.open("rb") as f:
                        saved = default_storage.save(name, File(f, name=name))
                    written.append(saved)
                    if saved != name:
                        raise CommandError(f"The storage saved {name} as {saved}.")
        except BaseException:
            for name in written:
                with contextlib.suppress(*storage_errors()):
                    default_storage.delete(name)
            raise
        return counts
