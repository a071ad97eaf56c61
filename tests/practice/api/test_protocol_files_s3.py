"""Issued PDFs in S3-compatible object storage (issue #15): selected by
DJANGO_MEDIA_S3_BUCKET, tested against moto's S3 server on loopback (`tests.storage`).

What the file tests of both storages prove (test_protocol_files.py) is not repeated here:
this module covers what only object storage has: the settings, private objects, and what
an outage of the storage does. An outage never commits a protocol without its PDF and
never answers 500: issuing answers 503 with nothing saved, a download is rendered again
from the snapshot (checked against the issued SHA-256) and answered, an erasure commits
and leaves its files for `verify_media --repair`.
"""

import io
import logging
from io import StringIO

import pypdf
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from storages.backends.s3 import S3Storage

from gutbrain.settings import _media_storage
from practice.models import Client, Protocol
from practice.pdf import files
from practice.protocols import AcknowledgementInput, check_consult, issue_protocol
from tests.storage import use_s3

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ACKNOWLEDGED = {
    "acknowledgements": [{"nutrient": "tryptophan", "reason": "Overlegd met de psychiater."}]
}


def issue_over_api(api, consult) -> Protocol:
    response = api.post(f"/api/v1/consults/{consult.pk}/protocols/", ACKNOWLEDGED, format="json")
    assert response.status_code == 201, response.content
    return Protocol.objects.get(pk=response.json()["id"])


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def storage_down(monkeypatch, settings, dead_endpoint, s3_media) -> None:
    """The same bucket, but its server no longer answers."""
    use_s3(monkeypatch, settings, endpoint=dead_endpoint, bucket=s3_media.bucket)


# The settings ----------------------------------------------------------------------------


def test_without_a_bucket_the_files_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("DJANGO_MEDIA_S3_BUCKET", raising=False)

    assert _media_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_selects_private_path_style_s3(monkeypatch):
    monkeypatch.setenv("DJANGO_MEDIA_S3_BUCKET", "praktijk")
    monkeypatch.setenv("DJANGO_MEDIA_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("DJANGO_MEDIA_S3_REGION", "eu-west-1")

    backend = _media_storage()
    storage = S3Storage(**backend["OPTIONS"])

    assert backend["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage.bucket_name == "praktijk"
    assert storage.endpoint_url == "http://127.0.0.1:9000"
    assert storage.region_name == "eu-west-1"
    assert storage.client_config.s3 == {"addressing_style": "path"}
    assert storage.default_acl is None, "no public ACL: the bucket's own, private"
    assert storage.querystring_auth is False, "no signed URLs handed out"


# Issue, read, erase ----------------------------------------------------------------------


def test_an_issued_protocol_is_a_private_object_read_back_through_the_api(
    practitioner_api, sannes_consult, s3_media
):
    protocol = issue_over_api(practitioner_api, sannes_consult)

    assert isinstance(default_storage._wrapped, S3Storage)
    assert s3_media.names() == [protocol.pdf.name]
    response = practitioner_api.get(f"/api/v1/protocols/{protocol.pk}/pdf/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == s3_media.read(protocol.pdf.name)
    assert files.sha256(body) == protocol.pdf_sha256
    text = pdf_text(body)
    assert "Sanne Mulder" in text
    assert "Overlegd met de psychiater." in text
    grants = s3_media.client.get_object_acl(Bucket=s3_media.bucket, Key=protocol.pdf.name)
    assert [g["Permission"] for g in grants["Grants"]] == ["FULL_CONTROL"], "the owner only"
    assert "Signature" not in default_storage.url(protocol.pdf.name)


def test_erasure_deletes_every_object_under_the_clients_prefix(
    practitioner_api, sannes_consult, s3_media
):
    issue_over_api(practitioner_api, sannes_consult)
    issue_over_api(practitioner_api, sannes_consult)
    folder = files.client_folder(sannes_consult.client_id)
    s3_media.write(f"{folder}/.protocol-x.pdf.abc.part", b"%PDF fragment of a killed issue")
    other = f"{files.client_folder(sannes_consult.client_id + 1000)}/protocol-x.pdf"
    s3_media.write(other, b"%PDF another client's")

    response = practitioner_api.post(
        f"/api/v1/clients/{sannes_consult.client_id}/erase/",
        {"reason": "Op verzoek van de cliënt."},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert s3_media.names() == [other]


# The storage is down ---------------------------------------------------------------------


def test_while_the_storage_is_down_an_issue_answers_503_with_nothing_saved(
    practitioner_api, sannes_consult, s3_media, dead_endpoint, monkeypatch, settings
):
    storage_down(monkeypatch, settings, dead_endpoint, s3_media)

    response = practitioner_api.post(
        f"/api/v1/consults/{sannes_consult.pk}/protocols/", ACKNOWLEDGED, format="json"
    )

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "15"
    assert "opslag voor protocollen is niet bereikbaar" in response.json()["detail"]
    assert not Protocol.objects.exists()
    assert s3_media.names() == []


def test_while_the_storage_is_down_the_staff_page_keeps_the_consult_open(
    client, practitioner, sannes_consult, s3_media, dead_endpoint, monkeypatch, settings
):
    storage_down(monkeypatch, settings, dead_endpoint, s3_media)
    client.force_login(practitioner)

    response = client.post(
        reverse("practice:consult-issue", args=[sannes_consult.pk]),
        {
            "check_digest": check_consult(sannes_consult).digest,
            "include_physician_page": "on",
            "reason_tryptophan": "Overlegd met de psychiater.",
        },
    )

    assert response.status_code == 503
    assert "De opslag voor protocollen is niet bereikbaar" in response.content.decode()
    assert "practice/consult_detail.html" in [t.name for t in response.templates]
    assert not Protocol.objects.exists()


def test_while_the_storage_is_down_a_download_is_rendered_again_from_the_snapshot(
    practitioner_api, sannes_consult, s3_media, dead_endpoint, monkeypatch, settings, caplog
):
    protocol = issue_over_api(practitioner_api, sannes_consult)
    issued = s3_media.read(protocol.pdf.name)
    storage_down(monkeypatch, settings, dead_endpoint, s3_media)

    with caplog.at_level(logging.WARNING, logger="practice.pdf.files"):
        response = practitioner_api.get(f"/api/v1/protocols/{protocol.pk}/pdf/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == issued
    assert f"PDF of protocol {protocol.pk} was unreachable" in caplog.text


def test_a_storage_lost_between_the_commit_and_the_file_leaves_a_row_that_repairs_itself(
    practitioner,
    practitioner_api,
    sannes_consult,
    s3_media,
    dead_endpoint,
    monkeypatch,
    settings,
    caplog,
):
    with caplog.at_level(logging.ERROR), transaction.atomic():
        protocol = issue_protocol(
            consult=sannes_consult,
            issued_by=practitioner,
            acknowledgements=[AcknowledgementInput("tryptophan", "Overlegd met de psychiater.")],
        )
        # Staged while the storage answered; down when the transaction commits.
        storage_down(monkeypatch, settings, dead_endpoint, s3_media)

    assert Protocol.objects.filter(pk=protocol.pk).exists(), "committed"
    assert "Error calling" in caplog.text, "the failed publish is logged, the commit stands"
    [fragment] = s3_media.names()
    assert fragment.endswith(files.FRAGMENT_SUFFIX), "only the staged object is there"
    response = practitioner_api.get(f"/api/v1/protocols/{protocol.pk}/pdf/")
    assert response.status_code == 200, "rendered again while the storage is down"

    back = s3_media.client.meta.endpoint_url
    use_s3(monkeypatch, settings, endpoint=back, bucket=s3_media.bucket)
    response = practitioner_api.get(f"/api/v1/protocols/{protocol.pk}/pdf/")
    assert response.status_code == 200
    assert files.sha256(b"".join(response.streaming_content)) == protocol.pdf_sha256
    assert s3_media.names() == sorted([fragment, protocol.pdf.name]), "stored on this read"
    assert "1 problems, all repaired" in verify_media_output("--repair")
    assert s3_media.names() == [protocol.pdf.name]


def verify_media_output(*args: str) -> str:
    out = StringIO()
    call_command("verify_media", *args, stdout=out)
    return out.getvalue()


def test_an_erasure_while_the_storage_is_down_commits_and_verify_media_removes_the_rest(
    practitioner_api, sannes_consult, s3_media, dead_endpoint, monkeypatch, settings, caplog
):
    protocol = issue_over_api(practitioner_api, sannes_consult)
    storage_down(monkeypatch, settings, dead_endpoint, s3_media)

    with caplog.at_level(logging.ERROR, logger="practice.pdf.files"):
        response = practitioner_api.post(
            f"/api/v1/clients/{sannes_consult.client_id}/erase/",
            {"reason": "Op verzoek van de cliënt."},
            format="json",
        )
        with pytest.raises(CommandError, match="storage cannot be reached"):
            call_command("verify_media", stdout=StringIO())

    assert response.status_code == 200, response.content
    assert not Client.objects.filter(pk=sannes_consult.client_id).exists()
    assert "verify_media --repair" in caplog.text
    assert s3_media.names() == [protocol.pdf.name], "left while the storage was down"

    back = s3_media.client.meta.endpoint_url
    use_s3(monkeypatch, settings, endpoint=back, bucket=s3_media.bucket)
    call_command("verify_media", "--repair", stdout=StringIO())
    assert s3_media.names() == []


def test_a_backup_while_the_storage_is_down_says_so_and_writes_nothing(
    practitioner_api, sannes_consult, s3_media, dead_endpoint, monkeypatch, settings, tmp_path
):
    issue_over_api(practitioner_api, sannes_consult)
    storage_down(monkeypatch, settings, dead_endpoint, s3_media)
    archive = tmp_path / "backup.tar.gz"

    with pytest.raises(CommandError, match="storage cannot be reached"):
        call_command("backup", output=str(archive), stdout=StringIO())

    assert list(tmp_path.iterdir()) == []
