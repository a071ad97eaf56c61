"""The print version: the protocol document as the client gets it, from the snapshot."""

from django.urls import reverse

from gutbrain.models import Nutrient
from practice.protocols import issue_protocol
from tests.factories import SupplementLineFactory


def test_it_renders_the_document_from_the_snapshot(web, knowledge_base, consult, practitioner):
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="saffron"))
    protocol = issue_protocol(consult=consult, issued_by=practitioner)
    consult.lines.all().delete()
    response = web.get(reverse("practice:protocol-print", args=[protocol.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.startswith("<!DOCTYPE html>")
    assert "Saffraan" in content
    assert "css/protocol.css" in content


def test_a_colleague_gets_404(colleague_web, knowledge_base, consult, practitioner):
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="saffron"))
    protocol = issue_protocol(consult=consult, issued_by=practitioner)
    response = colleague_web.get(reverse("practice:protocol-print", args=[protocol.pk]))
    assert response.status_code == 404
