"""The PDF of an issued protocol: the stored file, byte for byte."""

import pytest
from django.urls import reverse

from gutbrain.models import Nutrient
from practice.pdf import files
from practice.protocols import issue_protocol
from tests.factories import SupplementLineFactory


@pytest.fixture
def protocol(knowledge_base, consult, practitioner):
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="saffron"))
    return issue_protocol(consult=consult, issued_by=practitioner)


def url(protocol) -> str:
    return reverse("practice:protocol-pdf", args=[protocol.pk])


def test_it_redirects_anonymous_users_to_the_login_page(client, protocol):
    response = client.get(url(protocol))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_colleague_gets_404(colleague_web, protocol):
    assert colleague_web.get(url(protocol)).status_code == 404


def test_it_returns_the_stored_bytes_as_a_pdf(web, protocol):
    response = web.get(url(protocol))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body == files.read(protocol)
    assert body.startswith(b"%PDF")
