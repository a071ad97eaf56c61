"""`include_physician_page` on POST /api/v1/consults/{id}/protocols/ (issue #10): the
last page "Voor uw huisarts of apotheker" is printed by default, left off on request,
and the choice is kept in the snapshot."""

import io

import pypdf
import pytest

from practice.models import Protocol
from practice.pdf import files

ACK = {"nutrient": "tryptophan", "reason": "Overlegd met de psychiater."}
PHYSICIAN_PAGE = "Voor uw huisarts of apotheker"


def url(consult) -> str:
    return f"/api/v1/consults/{consult.pk}/protocols/"


def pdf_pages(protocol: Protocol) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(files.read(protocol)))
    return [page.extract_text() for page in reader.pages]


def test_the_physician_page_is_printed_by_default(practitioner_api, sannes_consult):
    response = practitioner_api.post(url(sannes_consult), {"acknowledgements": [ACK]})

    assert response.status_code == 201, response.json()
    protocol = Protocol.objects.get()
    assert protocol.snapshot["include_physician_page"] is True
    assert PHYSICIAN_PAGE in pdf_pages(protocol)[-1]


def test_it_is_left_off_on_request(practitioner_api, sannes_consult):
    response = practitioner_api.post(
        url(sannes_consult), {"acknowledgements": [ACK], "include_physician_page": False}
    )

    assert response.status_code == 201, response.json()
    protocol = Protocol.objects.get()
    assert protocol.snapshot["include_physician_page"] is False
    assert all(PHYSICIAN_PAGE not in page for page in pdf_pages(protocol))


@pytest.mark.parametrize("value", ["maybe", [], {"yes": 1}])
def test_a_value_that_is_not_a_boolean_is_a_400_naming_the_field(
    practitioner_api, sannes_consult, value
):
    response = practitioner_api.post(
        url(sannes_consult), {"acknowledgements": [ACK], "include_physician_page": value}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["include_physician_page"]
    assert not Protocol.objects.exists()


def test_the_schema_documents_it(served_schema):
    schema = served_schema()
    request = schema["components"]["schemas"]["IssueProtocolRequest"]
    field = request["properties"]["include_physician_page"]
    assert field["type"] == "boolean"
    assert field["default"] is True
    assert "doctor or pharmacist" in field["description"]
