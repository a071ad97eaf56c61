"""Where issued protocols' PDF files live, and how they follow their rows.

A protocol's PDF is rendered from its snapshot, which gives the same bytes every time, and
the row keeps their SHA-256 (`Protocol.pdf_sha256`). So the row is the truth and the file
a copy of it:

- `stage` writes the rendering to a temporary file beside its final name while the
  issue's transaction is open: a full disk fails the issue there, with nothing committed,
  as `StorageFull` (507), an unreachable storage as `StorageUnreachable` (503), and the
  partial file is removed.
- `Staged.publish` puts it under its final name once the transaction has committed;
  `Staged.discard` removes it when the transaction does not commit. Killed in between, a
  worker leaves either a temporary file (`.part`, a fragment) or a row whose file is
  missing: never a final file without its row.
- `read` answers a row's PDF and repairs what it finds missing or damaged by rendering the
  snapshot again, checking the hash and storing the file as `stage` and `publish` do.
  While the storage cannot be reached, it answers that rendering without storing it.
- Each client's files are under a folder (a key prefix) of their own (`client_folder`),
  fragments included, so that erasure removes all of them (`delete_client_files`).

Everything goes through `default_storage` (`STORAGES["default"]`), in one of two ways:
- a storage with local paths (`FileSystemStorage`, the default, under MEDIA_ROOT): the
  temporary file is fsynced and published by an atomic rename, then the folder fsynced,
  so a crash leaves the old name or the new one, whole;
- any other storage (S3 through django-storages): the temporary file is an object saved
  through the storage API, and publishing saves the same bytes under the final name
  (an object store's PUT is atomic: the object is whole or absent) and deletes the
  temporary one.

`manage.py verify_media` walks the folders for the same repairs.
"""

import errno
import hashlib
import logging
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils.translation import gettext_lazy as _

from gutbrain.errors import InsufficientStorage, StorageUnavailable, storage_errors
from practice.pdf import render_protocol_pdf

logger = logging.getLogger(__name__)

ROOT = "protocols"
FRAGMENT_SUFFIX = ".part"
FULL_DISK = {errno.ENOSPC, errno.EDQUOT}


class StorageFull(InsufficientStorage):
    default_detail = _(
        "The storage for protocols is full, so nothing was issued. Ask the administrator "
        "to free space, then issue again."
    )


class StorageUnreachable(StorageUnavailable):
    default_detail = _(
        "The storage for protocols cannot be reached, so nothing was issued. Try again in a "
        "moment; if it lasts, ask the administrator."
    )


UNRECOVERABLE = _(
    "The PDF of this protocol is missing or damaged, and rendering it again does not give "
    "the document that was issued. Ask the administrator to restore it from the backup; the "
    "protocol itself is unchanged."
)


class PdfUnrecoverable(Exception):
    """The file is missing or damaged, and rendering the snapshot again does not give the
    bytes that were issued (another version of the renderer or its fonts)."""


def client_folder(client_id: int) -> str:
    return f"{ROOT}/client-{client_id}"


def protocol_name(*, client_id: int, consult_id: int, version: int) -> str:
    """The file's name: ids only, so text a user typed (the client number) never reaches
    a path."""
    return f"{client_folder(client_id)}/protocol-{client_id}-{consult_id}-v{version}.pdf"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def has_local_paths(storage: Storage) -> bool:
    """Whether the storage keeps its files on a local filesystem (`Storage.path`)."""
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass
class StagedFile:
    """On the local filesystem: a fsynced temporary file, renamed into place."""

    temporary: Path
    path: Path

    def publish(self) -> None:
        os.replace(self.temporary, self.path)
        _fsync_folder(self.path.parent)

    def discard(self) -> None:
        self.temporary.unlink(missing_ok=True)


@dataclass
class StagedObject:
    """In any other storage: a temporary object, saved again under the final name."""

    storage: Storage
    temporary: str
    name: str
    content: bytes

    def publish(self) -> None:
        saved = self.storage.save(self.name, ContentFile(self.content))
        if saved != self.name:  # a storage that does not overwrite: keep no stray copy
            self.storage.delete(saved)
            raise RuntimeError(f"The storage saved {self.name} as {saved}; it must overwrite.")
        self.storage.delete(self.temporary)

    def discard(self) -> None:
        # Called while another error is on its way up: a storage that cannot be reached
        # leaves the fragment for `verify_media` or the client's erasure.
        try:
            self.storage.delete(self.temporary)
        except storage_errors():
            logger.warning("Fragment %s left behind: the storage cannot be reached", self.temporary)


# A rendering written under a temporary name beside its final name: `publish()` after the
# commit, `discard()` when there is none.
Staged = StagedFile | StagedObject


def stage(name: str, content: bytes) -> Staged:
    """Write `content` under a temporary name in the folder of storage name `name`.
    Raises, leaving no file behind, `StorageFull` when the disk is full and
    `StorageUnreachable` when the storage cannot be reached."""
    if has_local_paths(default_storage):
        return _stage_file(name, content)
    return _stage_object(name, content)


def _stage_file(name: str, content: bytes) -> StagedFile:
    path = Path(default_storage.path(name))
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=FRAGMENT_SUFFIX
        )
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if exc.errno in FULL_DISK:
            logger.error("No space to store %s: %s", name, exc)
            raise StorageFull from exc
        raise
    return StagedFile(Path(temporary), path)


def _stage_object(name: str, content: bytes) -> StagedObject:
    folder, _slash, base = name.rpartition("/")
    temporary = f"{folder}/.{base}.{secrets.token_hex(8)}{FRAGMENT_SUFFIX}"
    try:
        saved = default_storage.save(temporary, ContentFile(content))
    except storage_errors() as exc:
        # An upload is whole or absent, so there is nothing to remove.
        logger.error("The storage cannot store %s: %s", name, exc)
        raise StorageUnreachable from exc
    return StagedObject(default_storage, saved, name, content)


def stored(name: str) -> bytes | None:
    """The stored file's bytes; None when there is none. A storage that cannot be
    reached raises one of `storage_errors()`."""
    try:
        with default_storage.open(name, "rb") as file:
            return file.read()
    except FileNotFoundError:
        return None


def rendered_again(snapshot: dict, expected_sha256: str) -> bytes:
    """The snapshot rendered again, checked against the hash it was issued with."""
    content = render_protocol_pdf(snapshot)
    if sha256(content) != expected_sha256:
        raise PdfUnrecoverable
    return content


def write_repair(name: str, content: bytes) -> bool:
    """Store a repaired file; False (logged) when the disk is full or the storage cannot
    be reached: the caller still has the bytes to answer with."""
    try:
        stage(name, content).publish()
    except (StorageFull, StorageUnreachable):
        return False
    except storage_errors() as exc:  # the storage went away between the two writes
        logger.error("The storage cannot store %s: %s", name, exc)
        return False
    return True


def read(protocol) -> bytes:
    """The PDF issued as `protocol`, as it was issued. A file that is missing or does not
    match the row's hash is rendered again from the snapshot, checked and stored again;
    the repair is logged. While the storage cannot be reached, the rendering is answered
    without being stored. Raises `PdfUnrecoverable` when that rendering does not match."""
    name = protocol.pdf.name
    try:
        content = stored(name)
    except storage_errors() as exc:
        logger.error("The storage cannot be reached to read %s: %s", name, exc)
        problem, reachable = "unreachable", False
    else:
        if content is not None and sha256(content) == protocol.pdf_sha256:
            return content
        problem, reachable = ("missing" if content is None else "damaged"), True
    try:
        content = rendered_again(protocol.snapshot, protocol.pdf_sha256)
    except PdfUnrecoverable:
        logger.error("PDF of protocol %s is %s and cannot be rendered again", protocol.pk, problem)
        raise
    saved = reachable and write_repair(name, content)
    logger.warning(
        "PDF of protocol %s was %s: rendered again from its snapshot%s",
        protocol.pk,
        problem,
        "" if saved else " (not stored: the storage is full or cannot be reached)",
    )
    return content


def stored_names(folder: str) -> list[str]:
    """Every file under `folder` in the default storage, as storage names (on S3: every
    object whose key starts with the folder's prefix)."""
    try:
        folders, names = default_storage.listdir(folder)
    except FileNotFoundError:  # the filesystem's folder does not exist (yet)
        return []
    found = [f"{folder}/{name}" for name in names]
    for sub in folders:
        found.extend(stored_names(f"{folder}/{sub}"))
    return found


def delete_client_files(client_id: int, names: list[str]) -> None:
    """Remove the client's files: those their rows named (older protocols were stored by
    month) and everything in the client's folder, fragments included. Runs after the
    erasure has committed; a storage that cannot be reached leaves files without rows,
    which `verify_media --repair` removes (logged as an error saying so)."""
    folder = client_folder(client_id)
    try:
        for name in [*names, *stored_names(folder)]:
            default_storage.delete(name)
        if has_local_paths(default_storage):
            Path(default_storage.path(folder)).rmdir()
    except FileNotFoundError:  # the folder was never made: no protocol was issued
        pass
    except storage_errors() as exc:
        # The erasure has committed: the request is not failed for it.
        logger.error(
            "Files of erased client %s are left in %s: the storage cannot be reached (%s). "
            "Run `manage.py verify_media --repair` once it can.",
            client_id,
            folder,
            exc,
        )
