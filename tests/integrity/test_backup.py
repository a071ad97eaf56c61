"""`manage.py backup`: what the archive holds, and when it refuses to write one."""

import hashlib
import io
import json
import tarfile

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from practice.models import Protocol


@pytest.fixture
def archive(clinic, tmp_path):
    path = tmp_path / "backups" / "gutbrain.tar.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    return path


def members(path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar}


def test_the_manifest_lists_every_member_with_its_checksum(archive):
    content = members(archive)
    manifest = json.loads(content.pop("manifest.json"))

    assert manifest["format"] == 1
    assert set(manifest["files"]) == set(content)
    for name, data in content.items():
        assert manifest["files"][name] == {
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }


def test_the_manifest_counts_the_rows_of_every_table(archive):
    manifest = json.loads(members(archive)["manifest.json"])

    for label, count in manifest["counts"].items():
        assert apps.get_model(label)._base_manager.count() == count, label
    assert manifest["counts"]["practice.protocol"] == 1
    assert manifest["counts"]["gutbrain.historicalnutrient"] > 0


def test_the_stored_pdf_is_in_the_archive_under_its_own_name(archive):
    protocol = Protocol.objects.get()
    with protocol.pdf.open("rb") as f:
        pdf = f.read()

    assert members(archive)[f"media/{protocol.pdf.name}"] == pdf


def test_content_types_and_permissions_are_named_not_numbered(archive):
    data = json.loads(members(archive)["data.json"])

    tables = {row["model"] for row in data}
    assert not tables & {"contenttypes.contenttype", "auth.permission", "sessions.session"}
    [entry] = [row for row in data if row["model"] == "admin.logentry"]
    assert entry["fields"]["content_type"] == ["practice", "client"]
    [admin] = [row for row in data if row["model"] == "auth.user" and row["fields"]["is_superuser"]]
    assert admin["fields"]["user_permissions"] == [["view_client", "practice", "client"]]


def test_times_keep_their_microseconds(archive):
    data = json.loads(members(archive)["data.json"])

    [protocol] = [row for row in data if row["model"] == "practice.protocol"]
    assert protocol["fields"]["issued_at"] == Protocol.objects.get().issued_at.isoformat()


def test_the_archive_is_readable_by_its_owner_only(archive):
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        assert {member.mode for member in tar} == {0o600}


def test_a_missing_stored_file_stops_the_backup_and_leaves_no_archive(clinic, tmp_path):
    protocol = Protocol.objects.get()
    protocol.pdf.storage.delete(protocol.pdf.name)
    path = tmp_path / "backups" / "gutbrain.tar.gz"

    with pytest.raises(CommandError, match=protocol.pdf.name):
        call_command("backup", output=str(path), stdout=io.StringIO())

    assert list(path.parent.iterdir()) == []


def test_it_says_what_it_wrote(clinic, tmp_path):
    out = io.StringIO()
    path = tmp_path / "gutbrain.tar.gz"

    call_command("backup", output=str(path), stdout=out)

    assert f"and 2 stored files to {path}." in out.getvalue()
