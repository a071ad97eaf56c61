"""GET /api/v1/protocols/{id}/pdf/"""

import hashlib
import io

import pypdf
import pytest

from practice.pdf import files


def url(protocol) -> str:
    return f"/api/v1/protocols/{protocol.pk}/pdf/"


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_answers_the_stored_pdf_as_an_attachment(practitioner_api, protocol):
    stored = files.read(protocol)

    response = practitioner_api.get(url(protocol))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="protocol-00007-v1.pdf"'
    body = content(response)
    assert body == stored
    assert hashlib.sha256(body).hexdigest() == protocol.pdf_sha256
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)
    assert "Sanne Mulder" in text
    assert "Overlegd met de psychiater." in text


def test_it_never_renders_again_after_the_consult_changed(
    practitioner_api, protocol, sannes_consult, sanne
):
    sanne.last_name = "de Wit"
    sanne.save()
    sannes_consult.lines.all().delete()

    body = content(practitioner_api.get(url(protocol)))

    assert hashlib.sha256(body).hexdigest() == protocol.pdf_sha256


def test_it_answers_even_a_client_that_asks_for_a_pdf_only(practitioner_api, protocol):
    response = practitioner_api.get(url(protocol), HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_errors_are_json_even_when_a_pdf_is_asked_for(colleague_api, protocol):
    response = colleague_api.get(url(protocol), HTTP_ACCEPT="application/pdf")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["detail"]


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_it_answers_404_to_everyone_but_the_practitioner(request, user_api, protocol):
    assert request.getfixturevalue(user_api).get(url(protocol)).status_code == 404


def test_it_answers_401_to_anonymous_users(anonymous_api, protocol):
    assert anonymous_api.get(url(protocol)).status_code == 401


def test_it_answers_in_a_fixed_number_of_queries(
    practitioner_api, protocol, django_assert_num_queries
):
    # 1 the token with its user, 2 the user's tokens (knox), 3 the user's groups, 4 the protocol
    # with its consult, 5 the access log's newest hash, 6 the new entry
    with django_assert_num_queries(6):
        content(practitioner_api.get(url(protocol)))
