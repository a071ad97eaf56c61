"""Where issued protocols' PDF files live, and how they follow their rows.

A protocol's PDF is rendered from its snapshot, which gives the same bytes every time, and
the row keeps their SHA-256 (`Protocol.pdf_sha256`). So the row is the truth and the file
a copy of it:

- `stage` writes the rendering to a temporary file beside its final name (fsynced) while
  the issue's transaction is open: a full disk fails the issue there, with nothing
  committed, as `StorageFull`, and the partial file is removed.
- `Staged.publish` renames it to its final name once the transaction has committed (an
  atomic rename, then the folder is fsynced); `Staged.discard` removes it when the
  transaction does not commit. Killed in between, a worker leaves either a temporary file
  (`.part`, a fragment) or a row whose file is missing: never a final file without its row.
- `read` answers a row's PDF and repairs what it finds missing or damaged by rendering the
  snapshot again, checking the hash and writing the file as `stage` and `publish` do.
- Each client's files are in a folder of their own (`client_folder`), fragments included,
  so that erasure removes all of them (`delete_client_files`).

`manage.py verify_media` walks the folder for the same repairs. The files are read and
written on the local filesystem of `default_storage` (`MEDIA_ROOT`).
"""

import errno
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from gutbrain.errors import InsufficientStorage
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


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass
class Staged:
    """A rendering written to a temporary file beside its final name `path`."""

    temporary: Path
    path: Path

    def publish(self) -> None:
        os.replace(self.temporary, self.path)
        _fsync_folder(self.path.parent)

    def discard(self) -> None:
        self.temporary.unlink(missing_ok=True)


def stage(name: str, content: bytes) -> Staged:
    """Write `content` to a fsynced temporary file in the folder of storage name `name`.
    Raises `StorageFull`, leaving no file behind, when the disk is full."""
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
    return Staged(Path(temporary), path)


def stored(name: str) -> bytes | None:
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
    """Store a repaired file; False (logged) when the disk is full: the caller still has
    the bytes to answer with."""
    try:
        stage(name, content).publish()
    except StorageFull:
        return False
    return True


def read(protocol) -> bytes:
    """The PDF issued as `protocol`, as it was issued. A file that is missing or does not
    match the row's hash is rendered again from the snapshot, checked and stored again;
    the repair is logged. Raises `PdfUnrecoverable` when that rendering does not match."""
    name = protocol.pdf.name
    content = stored(name)
    if content is not None and sha256(content) == protocol.pdf_sha256:
        return content
    problem = "missing" if content is None else "damaged"
    try:
        content = rendered_again(protocol.snapshot, protocol.pdf_sha256)
    except PdfUnrecoverable:
        logger.error("PDF of protocol %s is %s and cannot be rendered again", protocol.pk, problem)
        raise
    saved = write_repair(name, content)
    logger.warning(
        "PDF of protocol %s was %s: rendered again from its snapshot%s",
        protocol.pk,
        problem,
        "" if saved else " (not stored: the disk is full)",
    )
    return content


def delete_client_files(client_id: int, names: list[str]) -> None:
    """Remove the client's files: those their rows named (older protocols were stored by
    month) and everything in the client's folder, fragments included."""
    for name in names:
        default_storage.delete(name)
    folder = Path(default_storage.path(client_folder(client_id)))
    if folder.is_dir():
        for path in folder.iterdir():
            path.unlink(missing_ok=True)
        folder.rmdir()
