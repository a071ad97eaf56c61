"""The practice workflow end to end over real HTTP, as an integration runs it: a token,
a client with a medicine, a consult, the check, a refused and an accepted issue, the
protocol at its `Location`, and its PDF."""

import io
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests.conftest import restore_after_flush
from tests.factories import PASSWORD, PracticeMemberFactory

REASON = "Fenelzine wordt afgebouwd in overleg met de psychiater."


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def call(url: str, *, token: str = "", body: dict | None = None) -> Answer:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Token {token}"} if token else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_rows(django_db_setup, django_db_blocker):
    """Puts back what migrations wrote (the staff groups), and the knowledge base, once
    this module is done: the transactional test empties every table when it ends."""
    yield
    with django_db_blocker.unblock():
        restore_after_flush()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_integration_issues_a_checked_protocol_and_fetches_its_pdf(
    live_server, practitioner, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call_command("loaddata", "knowledge_base", verbosity=0)
    PracticeMemberFactory(user=practitioner)
    api = f"{live_server.url}/api/v1"
    token = call(
        f"{api}/auth/token/", body={"username": practitioner.username, "password": PASSWORD}
    ).json()["token"]

    created = call(
        f"{api}/clients/",
        token=token,
        body={
            "first_name": "Jan",
            "last_name": "de Boer",
            "date_of_birth": "1970-02-01",
            "medications": [{"atc_code": "N06AF03", "name": "Nardil"}],
        },
    )
    assert created.status == 201, created.body
    client = created.json()
    consult = call(
        f"{api}/consults/",
        token=token,
        body={
            "client": client["id"],
            "date": "2026-11-27",
            "complaints": ["stress"],
            "supplements": [
                {
                    "nutrient": "magnesium",
                    "form": "bisglycinate",
                    "dose_amount": "200",
                    "dose_unit": "mg",
                    "timing": "evening",
                    "duration_weeks": 8,
                },
                {"nutrient": "tryptophan", "dose_amount": "500", "dose_unit": "mg"},
            ],
        },
    ).json()

    check = call(f"{api}/consults/{consult['id']}/check/", token=token).json()
    assert {r["nutrient"]: r["level"] for r in check["results"]}["tryptophan"] == "avoid"

    issue_url = f"{api}/consults/{consult['id']}/protocols/"
    refused = call(issue_url, token=token, body={"acknowledgements": []})
    assert refused.status == 400
    assert refused.json()["unacknowledged"] == ["tryptophan"]

    acknowledged = [{"nutrient": "tryptophan", "reason": REASON}]
    issued = call(issue_url, token=token, body={"acknowledgements": acknowledged})
    assert issued.status == 201, issued.body
    assert issued.json()["version"] == 1
    protocol = call(issued.headers["Location"], token=token).json()
    assert protocol["id"] == issued.json()["id"]

    pdf = call(f"{api}/protocols/{protocol['id']}/pdf/", token=token)
    assert pdf.status == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.body)).pages)
    text = " ".join(text.split())
    assert "Jan de Boer" in text
    assert "Tryptofaan" in text
    assert REASON in text
