"""Issued protocols' PDF files follow their rows (issue #12, finding 2): written after the
commit in the client's folder, repaired on read from the snapshot, checked by
`verify_media`, all removed by erasure, and a full disk refuses the issue cleanly.

Each test of the files runs on both storages (`tests.storage`): the local folder and an
S3 bucket on moto's server (issue #15). The full disk is the local folder's.

Transactional: the file is put in place when the issue's transaction commits, as in
production.
"""

import logging
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from practice.models import Protocol
from practice.pdf import files
from practice.protocols import check_consult
from tests.storage import STORAGES, BucketFiles, LocalFiles, media_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ACKNOWLEDGED = {
    "acknowledgements": [{"nutrient": "tryptophan", "reason": "Overlegd met de psychiater."}]
}


@pytest.fixture(params=STORAGES)
def media(request) -> LocalFiles | BucketFiles:
    """The test runs on the local folder and on S3."""
    return media_for(request)


def issue_over_api(api, consult) -> Protocol:
    response = api.post(f"/api/v1/consults/{consult.pk}/protocols/", ACKNOWLEDGED, format="json")
    assert response.status_code == 201, response.content
    return Protocol.objects.select_related("consult").get(pk=response.json()["id"])


def verify_media(*args: str) -> str:
    out = StringIO()
    call_command("verify_media", *args, stdout=out)
    return out.getvalue()


def test_the_file_is_in_the_clients_folder_once_the_issue_has_committed(
    practitioner_api, sannes_consult, media
):
    protocol = issue_over_api(practitioner_api, sannes_consult)

    client_id = sannes_consult.client_id
    name = f"protocols/client-{client_id}/protocol-{client_id}-{sannes_consult.pk}-v1.pdf"
    assert protocol.pdf.name == name
    assert media.names() == [name], "the file only, no temporary fragment beside it"
    assert files.sha256(media.read(name)) == protocol.pdf_sha256


@pytest.mark.parametrize("damage", ["missing", "damaged"])
def test_a_missing_or_damaged_file_is_rendered_again_on_read(
    practitioner_api, sannes_consult, media, caplog, damage
):
    protocol = issue_over_api(practitioner_api, sannes_consult)
    name = protocol.pdf.name
    issued = media.read(name)
    if damage == "missing":
        media.delete(name)
    else:
        media.write(name, issued[:8192])  # what a full disk left behind

    with caplog.at_level(logging.WARNING, logger="practice.pdf.files"):
        response = practitioner_api.get(f"/api/v1/protocols/{protocol.pk}/pdf/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == issued
    assert media.read(name) == issued, "stored again"
    assert f"PDF of protocol {protocol.pk} was {damage}" in caplog.text


def test_the_staff_page_repairs_a_missing_file_too(
    client, practitioner, practitioner_api, sannes_consult, media
):
    protocol = issue_over_api(practitioner_api, sannes_consult)
    issued = media.read(protocol.pdf.name)
    media.delete(protocol.pdf.name)
    client.force_login(practitioner)

    response = client.get(reverse("practice:protocol-pdf", args=[protocol.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == issued


def test_a_file_that_cannot_be_rendered_again_exactly_is_an_error_not_another_document(
    client, practitioner, practitioner_api, sannes_consult, media
):
    protocol = issue_over_api(practitioner_api, sannes_consult)
    media.delete(protocol.pdf.name)
    # As if the renderer had changed since: the snapshot no longer gives the issued bytes.
    Protocol.objects.filter(pk=protocol.pk).update(pdf_sha256="0" * 64)

    response = practitioner_api.get(f"/api/v1/protocols/{protocol.pk}/pdf/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "back-up" in response.json()["detail"]

    client.force_login(practitioner)
    page = client.get(reverse("practice:protocol-pdf", args=[protocol.pk]))
    assert page.status_code == 500
    assert "back-up" in page.content.decode()
    assert media.names() == [], "nothing else is stored under its name"


def test_verify_media_lists_every_problem_and_exits_1(practitioner_api, sannes_consult, media):
    first = issue_over_api(practitioner_api, sannes_consult)
    second = issue_over_api(practitioner_api, sannes_consult)
    media.delete(first.pdf.name)
    media.write(second.pdf.name, b"%PDF-1.7 truncated")
    folder = files.client_folder(sannes_consult.client_id)
    media.write(f"{folder}/protocol-1-1-v9.pdf", b"%PDF no row")
    media.write(f"{folder}/.protocol-1-1-v3.pdf.x1y2.part", b"%PDF half")

    with pytest.raises(CommandError, match="4 problems, 4 not repaired"):
        verify_media()


def test_verify_media_repairs_what_it_lists(practitioner_api, sannes_consult, media):
    first = issue_over_api(practitioner_api, sannes_consult)
    second = issue_over_api(practitioner_api, sannes_consult)
    issued = {p.pdf.name: media.read(p.pdf.name) for p in (first, second)}
    media.delete(first.pdf.name)
    media.write(second.pdf.name, b"%PDF-1.7 truncated")
    folder = files.client_folder(sannes_consult.client_id)
    media.write(f"{folder}/protocol-1-1-v9.pdf", b"%PDF no row")
    media.write(f"{folder}/.protocol-1-1-v3.pdf.x1y2.part", b"%PDF half")

    out = verify_media("--repair")

    assert "4 problems, all repaired" in out
    assert media.names() == sorted(issued)
    assert {name: media.read(name) for name in issued} == issued
    assert "0 problems" in verify_media()


def test_verify_media_exits_1_for_a_file_it_cannot_render_again(
    practitioner_api, sannes_consult, media
):
    protocol = issue_over_api(practitioner_api, sannes_consult)
    media.delete(protocol.pdf.name)
    Protocol.objects.filter(pk=protocol.pk).update(pdf_sha256="0" * 64)

    with pytest.raises(CommandError, match="1 not repaired"):
        verify_media("--repair")


def test_erasure_removes_every_file_of_the_client(practitioner_api, sannes_consult, media):
    protocol = issue_over_api(practitioner_api, sannes_consult)
    folder = files.client_folder(sannes_consult.client_id)
    media.write(f"{folder}/.protocol-x.pdf.abc.part", b"%PDF fragment of a killed issue")
    # A protocol issued before the folders per client was stored by month.
    legacy = "protocols/2026/11/protocol-1-1-v1.pdf"
    media.write(legacy, media.read(protocol.pdf.name))
    Protocol.objects.filter(pk=protocol.pk).update(pdf=legacy)

    response = practitioner_api.post(
        f"/api/v1/clients/{sannes_consult.client_id}/erase/",
        {"reason": "Op verzoek van de cliënt."},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert media.names() == []


# A full disk ------------------------------------------------------------------------------


@pytest.fixture
def full_disk(local_media: LocalFiles):
    """A 64 KB filesystem as the media folder, filled up: a real ENOSPC (root only, as in
    CI; elsewhere the test is skipped)."""
    root = local_media.root
    root.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(root)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.decode().strip()}")
    try:
        with (root / "filler").open("wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"\0" * 4096)
            except OSError:
                pass
        yield local_media
    finally:
        subprocess.run(["umount", str(root)], check=True)


def test_a_full_disk_refuses_the_issue_with_a_clear_json_error_and_no_fragment(
    practitioner_api, sannes_consult, full_disk
):
    response = practitioner_api.post(
        f"/api/v1/consults/{sannes_consult.pk}/protocols/", ACKNOWLEDGED, format="json"
    )

    assert response.status_code == 507
    assert response["Content-Type"] == "application/json"
    assert "opslag voor protocollen is vol" in response.json()["detail"]
    assert not Protocol.objects.exists()
    assert full_disk.names() == ["filler"]


def test_a_full_disk_refuses_the_issue_on_the_staff_page_too(
    client, practitioner, sannes_consult, full_disk
):
    client.force_login(practitioner)
    response = client.post(
        reverse("practice:consult-issue", args=[sannes_consult.pk]),
        {
            "check_digest": check_consult(sannes_consult).digest,
            "include_physician_page": "on",
            "reason_tryptophan": "Overlegd met de psychiater.",
        },
    )

    assert response.status_code == 507
    assert "De opslag voor protocollen is vol" in response.content.decode()
    assert "practice/consult_detail.html" in [t.name for t in response.templates], "stays open"
    assert not Protocol.objects.exists()
    assert full_disk.names() == ["filler"]
