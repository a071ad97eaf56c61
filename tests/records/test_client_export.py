"""/clients/{id}/export/: the client's record as a JSON download."""

import json

import pytest
from django.urls import reverse

from gutbrain.models import Nutrient
from practice.models import Client
from tests.factories import SupplementLineFactory


def url(client: Client) -> str:
    return reverse("practice:client-export", args=[client.pk])


def test_it_downloads_the_record_as_an_attachment_named_by_the_client_number(web, sanne):
    response = web.get(url(sanne))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="client-00007-export.json"'
    body = json.loads(response.content)
    assert body["format_version"] == 1
    assert body["client"]["client_number"] == "00007"
    assert body["medications"][0]["atc_code"] == "N06AF03"


def test_the_download_has_what_the_api_export_has(web, practitioner_api, sanne, protocol):
    download = json.loads(web.get(url(sanne)).content)
    exported = practitioner_api.get(f"/api/v1/clients/{sanne.pk}/export/").json()

    del download["exported_at"], exported["exported_at"]
    assert download == exported


def test_the_client_page_offers_the_download(web, sanne):
    content = web.get(reverse("practice:client-detail", args=[sanne.pk])).content.decode()

    assert f'href="{url(sanne)}" download' in content


def test_a_colleague_gets_404(colleague_web, sanne):
    assert colleague_web.get(url(sanne)).status_code == 404


def test_it_redirects_anonymous_users_to_the_login_page(client, sanne):
    response = client.get(url(sanne))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("consults", [1, 4])
def test_it_downloads_in_a_fixed_number_of_queries_whatever_the_number_of_consults(
    web, sanne, protocol, reissue, consults, django_assert_num_queries
):
    magnesium = Nutrient.objects.get(slug="magnesium")
    for _ in range(consults):
        line = SupplementLineFactory(consult__client=sanne, nutrient=magnesium)
        reissue(line.consult, 2)
    # Queries: session, user, the user's roles, the client with practice and practitioner,
    # its medicines, own supplements, consults with their practitioner, their complaints,
    # their lines, their protocols with who issued them, the protocols'
    # acknowledgements; the access log's newest hash and the new entry.
    with django_assert_num_queries(13):
        response = web.get(url(sanne))
    assert len(json.loads(response.content)["consults"]) == consults + 1
