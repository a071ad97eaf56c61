"""/clients/{id}/erase/: the confirm page that erases a client's record on request."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from practice.models import Client, ErasureRecord, Protocol
from tests.practice.views.texts import nl

REASON = "Schriftelijk verzoek van de cliënt, ontvangen 20 november 2026."


def url(client: Client) -> str:
    return reverse("practice:client-erase", args=[client.pk])


def test_the_client_page_links_to_the_erasure(web, sanne):
    content = web.get(reverse("practice:client-detail", args=[sanne.pk])).content.decode()

    assert f'href="{url(sanne)}"' in content


def test_it_asks_for_a_reason_and_the_client_number(web, sanne, protocol):
    response = web.get(url(sanne))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="reason"' in content
    assert 'name="confirm_client_number"' in content
    assert nl("Erasure cannot be undone.") in content
    assert " style=" not in content and "<script>" not in content
    assert response.context["client"].protocol_count == 1


def test_it_erases_the_record_and_goes_to_the_client_list(
    web, sanne, protocol, django_capture_on_commit_callbacks
):
    client_id = sanne.pk

    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(url(sanne), {"reason": REASON, "confirm_client_number": "00007"})

    assert response.status_code == 302
    assert response.url == reverse("practice:client-list")
    assert not Client.objects.filter(pk=client_id).exists()
    assert not Protocol.objects.exists()
    assert not default_storage.exists(protocol.pdf.name)
    erasure = ErasureRecord.objects.get()
    assert (erasure.former_client_id, erasure.reason) == (client_id, REASON)
    page = web.get(response.url).content.decode()
    assert nl("The client's record has been erased; only a note of the erasure is kept.") in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": REASON, "confirm_client_number": "00008"}, "confirm_client_number"),
        ({"reason": REASON, "confirm_client_number": ""}, "confirm_client_number"),
        ({"reason": "  ", "confirm_client_number": "00007"}, "reason"),
    ],
)
def test_it_erases_nothing_without_a_reason_and_the_right_client_number(
    web, sanne, protocol, data, field
):
    response = web.post(url(sanne), data)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert Client.objects.filter(pk=sanne.pk).exists()
    assert Protocol.objects.filter(pk=protocol.pk).exists()
    assert not ErasureRecord.objects.exists()


def test_a_colleague_gets_404_and_erases_nothing(colleague_web, sanne):
    assert colleague_web.get(url(sanne)).status_code == 404
    response = colleague_web.post(url(sanne), {"reason": REASON, "confirm_client_number": "00007"})

    assert response.status_code == 404
    assert Client.objects.filter(pk=sanne.pk).exists()


def test_it_redirects_anonymous_users_to_the_login_page(client, sanne):
    response = client.post(url(sanne), {"reason": REASON, "confirm_client_number": "00007"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Client.objects.filter(pk=sanne.pk).exists()
