"""POST /api/v1/consults/{id}/protocols/: issuing the consult's next protocol."""

from unittest.mock import ANY

import pytest

from gutbrain.models import Nutrient
from practice.models import Acknowledgement, Protocol

ACK = {"nutrient": "tryptophan", "reason": "Overlegd met de psychiater."}


def url(consult) -> str:
    return f"/api/v1/consults/{consult.pk}/protocols/"


def test_it_issues_version_1_with_the_links_to_snapshot_and_pdf(
    practitioner_api, practitioner, sannes_consult
):
    response = practitioner_api.post(url(sannes_consult), {"acknowledgements": [ACK]})

    assert response.status_code == 201, response.json()
    protocol = Protocol.objects.get()
    base = f"http://testserver/api/v1/protocols/{protocol.pk}/"
    assert response.json() == {
        "id": protocol.pk,
        "url": base,
        "pdf_url": f"{base}pdf/",
        "consult": sannes_consult.pk,
        "version": 1,
        "issued_at": ANY,
        "issued_by": "practitioner",
        "worst_level": "avoid",
        "pdf_sha256": protocol.pdf_sha256,
    }
    assert response["Location"] == base
    (ack,) = Acknowledgement.objects.all()
    assert (ack.nutrient.slug, ack.reason, ack.acknowledged_by) == (
        "tryptophan",
        "Overlegd met de psychiater.",
        practitioner,
    )


def test_issuing_again_gives_the_next_version(practitioner_api, sannes_consult, protocol):
    response = practitioner_api.post(url(sannes_consult), {"acknowledgements": [ACK]})

    assert response.status_code == 201
    assert response.json()["version"] == 2


def test_a_consult_without_avoid_findings_needs_no_acknowledgement(
    practitioner_api, knowledge_base, sanne, make_consult
):
    consult = make_consult(sanne, "magnesium")

    response = practitioner_api.post(url(consult), {})

    assert response.status_code == 201, response.json()
    assert response.json()["worst_level"] == "separate_intake"


def test_it_names_every_nutrient_advised_against_without_a_reason(
    practitioner_api, knowledge_base, sanne, make_consult
):
    consult = make_consult(sanne, "magnesium", "tryptophan", "saffron", pregnant=True)

    response = practitioner_api.post(url(consult), {"acknowledgements": []})

    assert response.status_code == 400
    assert response.json() == {
        "acknowledgements": [ANY],
        "unacknowledged": ["tryptophan", "saffron"],
    }
    assert not Protocol.objects.exists()


def test_one_missing_reason_is_enough_to_refuse(
    practitioner_api, knowledge_base, sanne, make_consult
):
    consult = make_consult(sanne, "tryptophan", "saffron", pregnant=True)

    response = practitioner_api.post(url(consult), {"acknowledgements": [ACK]})

    assert response.status_code == 400
    assert response.json()["unacknowledged"] == ["saffron"]
    assert not Protocol.objects.exists()


def test_it_refuses_an_empty_reason(practitioner_api, sannes_consult):
    response = practitioner_api.post(
        url(sannes_consult), {"acknowledgements": [{"nutrient": "tryptophan", "reason": "  "}]}
    )

    assert response.status_code == 400
    assert response.json() == {"acknowledgements": {"0": {"reason": [ANY]}}}
    assert not Protocol.objects.exists()


def test_it_refuses_a_reason_for_a_nutrient_not_in_the_consult(practitioner_api, sannes_consult):
    response = practitioner_api.post(
        url(sannes_consult),
        {"acknowledgements": [ACK, {"nutrient": "saffron", "reason": "Niet in dit consult."}]},
    )

    assert response.status_code == 400
    [message] = response.json()["acknowledgements"]
    assert "saffron" in message
    assert not Protocol.objects.exists()


def test_it_refuses_a_nutrient_acknowledged_twice(practitioner_api, sannes_consult):
    response = practitioner_api.post(url(sannes_consult), {"acknowledgements": [ACK, ACK]})

    assert response.status_code == 400
    assert list(response.json()) == ["acknowledgements"]
    assert not Protocol.objects.exists()


def test_it_refuses_unknown_fields(practitioner_api, sannes_consult):
    response = practitioner_api.post(
        url(sannes_consult), {"acknowledgments": [ACK], "acknowledgements": [ACK]}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["acknowledgments"]
    assert not Protocol.objects.exists()


def test_a_consult_without_lines_cannot_be_issued(
    practitioner_api, knowledge_base, sanne, make_consult
):
    response = practitioner_api.post(url(make_consult(sanne)), {})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [ANY]}
    assert not Protocol.objects.exists()


def test_a_line_with_an_unpublished_nutrient_cannot_be_issued(practitioner_api, sannes_consult):
    Nutrient.objects.filter(slug="magnesium").update(is_published=False)

    response = practitioner_api.post(url(sannes_consult), {"acknowledgements": [ACK]})

    assert response.status_code == 400
    [message] = response.json()["non_field_errors"]
    assert "magnesium" in message
    assert not Protocol.objects.exists()


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_it_answers_404_to_everyone_but_the_practitioner(request, user_api, sannes_consult):
    api = request.getfixturevalue(user_api)

    assert api.post(url(sannes_consult), {"acknowledgements": [ACK]}).status_code == 404
    assert not Protocol.objects.exists()


def test_it_answers_401_to_anonymous_users(anonymous_api, sannes_consult):
    assert anonymous_api.post(url(sannes_consult), {"acknowledgements": [ACK]}).status_code == 401
    assert not Protocol.objects.exists()


def test_it_answers_405_to_a_get(practitioner_api, sannes_consult):
    assert practitioner_api.get(url(sannes_consult)).status_code == 405
