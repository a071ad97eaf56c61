"""`manage.py restore`: what it refuses, leaving the database and the stored files as they
were, and `--force`, which replaces them."""

import datetime
import hashlib
import io
import json
import re
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from practice.models import Client, Practice
from practice.services import client_create
from tests.integrity.conftest import every_row


@pytest.fixture
def archive(clinic, tmp_path) -> Path:
    path = tmp_path / "gutbrain.tar.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    return path


def add_a_client_later() -> None:
    practice = Practice.objects.get()
    client_create(
        practitioner=practice.members.get(is_practice_admin=True).user,
        practice=practice,
        first_name="Later",
        last_name="Toegevoegd",
        date_of_birth=datetime.date(2001, 1, 1),
    )


def stored_files() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def rewrite(archive: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    """A copy of the archive with its members changed by `change`."""
    with tarfile.open(archive) as tar:
        content = {member.name: tar.extractfile(member).read() for member in tar}
    change(content)
    copy = archive.with_name("changed.tar.gz")
    with tarfile.open(copy, "w:gz") as tar:
        for name, data in content.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return copy


@pytest.fixture
def changed_since(archive) -> None:
    """A client added after the backup was made."""
    add_a_client_later()


def pdf_name(content: dict[str, bytes]) -> str:
    return next(name for name in content if name.endswith(".pdf"))


def rename_a_client(content: dict[str, bytes]) -> None:
    content["data.json"] = content["data.json"].replace(b'"Sanne"', b'"Sanna"')


def change_the_pdf(content: dict[str, bytes]) -> None:
    name = pdf_name(content)
    content[name] = content[name].replace(b"%%EOF", b"%%EOF\n% appended")


def remove_the_pdf(content: dict[str, bytes]) -> None:
    del content[pdf_name(content)]


def add_a_file(content: dict[str, bytes]) -> None:
    content["media/protocols/extra.pdf"] = b"%PDF-1.7\n"


def edit_manifest(change: Callable[[dict], None]) -> Callable[[dict[str, bytes]], None]:
    def edit(content: dict[str, bytes]) -> None:
        manifest = json.loads(content["manifest.json"])
        change(manifest)
        content["manifest.json"] = json.dumps(manifest).encode()

    return edit


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (rename_a_client, "changed: data.json"),
        (change_the_pdf, "changed: media/protocols/"),
        (remove_the_pdf, "missing: media/protocols/"),
        (add_a_file, "not in the manifest: media/protocols/extra.pdf"),
    ],
)
def test_a_tampered_archive_is_refused_and_nothing_changes(archive, changed_since, tamper, named):
    tampered = rewrite(archive, tamper)
    rows, files = every_row(), stored_files()

    with pytest.raises(CommandError, match="does not match its manifest") as exc:
        call_command("restore", str(tampered), force=True, stdout=io.StringIO())

    assert named in str(exc.value)
    assert every_row() == rows
    assert stored_files() == files


def test_it_refuses_a_database_that_holds_records(archive):
    rows, files = every_row(), stored_files()

    with pytest.raises(CommandError, match="already holds records") as exc:
        call_command("restore", str(archive), stdout=io.StringIO())

    assert "practice.client (2)" in str(exc.value)
    assert "auth.group" not in str(exc.value)
    assert every_row() == rows
    assert stored_files() == files


def test_force_replaces_what_the_database_holds(archive):
    at_backup, files = every_row(), stored_files()
    add_a_client_later()
    Path(settings.MEDIA_ROOT, pdf_name(files)).unlink()

    call_command("restore", str(archive), force=True, stdout=io.StringIO())

    assert every_row() == at_backup
    assert stored_files() == files
    assert not Client.objects.filter(first_name="Later").exists()


def test_rows_that_do_not_match_the_manifest_are_rolled_back_and_the_old_ones_kept(
    archive, changed_since
):
    def one_client_more(manifest: dict) -> None:
        manifest["counts"]["practice.client"] += 1

    wrong_count = rewrite(archive, edit_manifest(one_client_more))
    rows, files = every_row(), stored_files()

    with pytest.raises(CommandError, match=re.escape("practice.client: 2 instead of 3")):
        call_command("restore", str(wrong_count), force=True, stdout=io.StringIO())

    assert every_row() == rows
    assert Client.objects.filter(first_name="Later").exists()
    assert stored_files() == files


def test_a_backup_made_with_other_migrations_is_refused(archive):
    def a_later_migration(manifest: dict) -> None:
        manifest["migrations"]["practice"].append("9999_from_the_future")

    other_schema = rewrite(archive, edit_manifest(a_later_migration))
    rows = every_row()

    named = re.escape("practice.9999_from_the_future only in the backup")
    with pytest.raises(CommandError, match=named):
        call_command("restore", str(other_schema), force=True, stdout=io.StringIO())

    assert every_row() == rows


def test_a_member_that_would_land_outside_the_folder_is_refused(archive, tmp_path):
    def escape(content: dict[str, bytes]) -> None:
        content["media/../../escaped.txt"] = b"outside"

    hostile = rewrite(archive, escape)

    with pytest.raises(CommandError, match="unexpected member"):
        call_command("restore", str(hostile), force=True, stdout=io.StringIO())

    assert not (tmp_path / "escaped.txt").exists()
    assert not Path(settings.MEDIA_ROOT).parent.joinpath("escaped.txt").exists()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut short"),
        pytest.param(lambda data: b"not an archive at all", id="not an archive"),
    ],
)
def test_an_unreadable_archive_is_refused(archive, damage):
    archive.write_bytes(damage(archive.read_bytes()))
    rows = every_row()

    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", str(archive), force=True, stdout=io.StringIO())

    assert every_row() == rows


def test_a_stored_file_with_other_contents_is_refused_without_force(archive):
    connection.check_constraints()  # PostgreSQL truncates no table with checks pending
    call_command("flush", interactive=False, verbosity=0)
    name = next(iter(json.loads(manifest_of(archive))["files"].keys() - {"data.json"}))
    stored = Path(settings.MEDIA_ROOT) / name.removeprefix("media/")
    stored.write_bytes(b"another file")

    with pytest.raises(CommandError, match="other contents") as exc:
        call_command("restore", str(archive), stdout=io.StringIO())

    assert name.removeprefix("media/") in str(exc.value)
    assert not Client.objects.exists()
    assert stored.read_bytes() == b"another file"


def manifest_of(archive: Path) -> bytes:
    with tarfile.open(archive) as tar:
        return tar.extractfile("manifest.json").read()


def test_rows_that_cannot_be_loaded_leave_the_database_as_it_was(archive, changed_since):
    def without_users(content: dict[str, bytes]) -> None:
        # A consistent archive (its manifest agrees) whose rows name users it lacks.
        rows = [row for row in json.loads(content["data.json"]) if row["model"] != "auth.user"]
        content["data.json"] = json.dumps(rows).encode()
        manifest = json.loads(content["manifest.json"])
        manifest["counts"]["auth.user"] = 0
        manifest["files"]["data.json"] = {
            "size": len(content["data.json"]),
            "sha256": hashlib.sha256(content["data.json"]).hexdigest(),
        }
        content["manifest.json"] = json.dumps(manifest).encode()

    broken = rewrite(archive, without_users)
    rows, files = every_row(), stored_files()

    with pytest.raises(CommandError, match="could not be loaded; nothing was restored"):
        call_command("restore", str(broken), force=True, stdout=io.StringIO())

    assert every_row() == rows
    assert stored_files() == files
