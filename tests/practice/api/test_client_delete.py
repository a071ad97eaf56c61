"""DELETE /api/v1/clients/{id}/"""

import pytest

from practice.models import Client, ClientMedication, Consult, Protocol
from tests.factories import ConsultFactory


def url(client) -> str:
    return f"/api/v1/clients/{client.pk}/"


def test_it_deletes_the_client_with_medicines_and_consults(practitioner_api, sanne):
    ConsultFactory(client=sanne)

    response = practitioner_api.delete(url(sanne))

    assert response.status_code == 204
    assert not Client.objects.exists()
    assert not ClientMedication.objects.exists()
    assert not Consult.objects.exists()


def test_it_keeps_a_client_with_issued_protocols(practitioner_api, sanne, protocol):
    response = practitioner_api.delete(url(sanne))

    assert response.status_code == 409
    assert list(response.json()) == ["detail"]
    assert Client.objects.filter(pk=sanne.pk).exists()
    assert Protocol.objects.filter(pk=protocol.pk).exists()


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_it_answers_404_to_everyone_but_the_practitioner(request, user_api, sanne):
    response = request.getfixturevalue(user_api).delete(url(sanne))

    assert response.status_code == 404
    assert Client.objects.filter(pk=sanne.pk).exists()


def test_it_answers_401_to_anonymous_users(anonymous_api, sanne):
    assert anonymous_api.delete(url(sanne)).status_code == 401
    assert Client.objects.filter(pk=sanne.pk).exists()
