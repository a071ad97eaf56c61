"""DELETE /api/v1/consults/{id}/"""

import pytest

from practice.models import Consult, Protocol, SupplementLine


def url(consult) -> str:
    return f"/api/v1/consults/{consult.pk}/"


def test_it_deletes_the_consult_and_its_lines(practitioner_api, sannes_consult):
    response = practitioner_api.delete(url(sannes_consult))

    assert response.status_code == 204
    assert not Consult.objects.exists()
    assert not SupplementLine.objects.exists()


def test_it_keeps_a_consult_a_protocol_was_issued_from(practitioner_api, sannes_consult, protocol):
    response = practitioner_api.delete(url(sannes_consult))

    assert response.status_code == 409
    assert list(response.json()) == ["detail"]
    assert Consult.objects.filter(pk=sannes_consult.pk).exists()
    assert Protocol.objects.filter(pk=protocol.pk).exists()


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_it_answers_404_to_everyone_but_the_practitioner(request, user_api, sannes_consult):
    response = request.getfixturevalue(user_api).delete(url(sannes_consult))

    assert response.status_code == 404
    assert Consult.objects.filter(pk=sannes_consult.pk).exists()


def test_it_answers_401_to_anonymous_users(anonymous_api, sannes_consult):
    assert anonymous_api.delete(url(sannes_consult)).status_code == 401
    assert Consult.objects.filter(pk=sannes_consult.pk).exists()
