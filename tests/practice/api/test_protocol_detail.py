"""GET /api/v1/protocols/{id}/ (and the methods it refuses)."""

import pytest


def url(protocol) -> str:
    return f"/api/v1/protocols/{protocol.pk}/"


def test_it_shows_the_protocol_with_its_snapshot(practitioner_api, protocol, sannes_consult):
    response = practitioner_api.get(url(protocol))

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": protocol.pk,
        "url": f"http://testserver{url(protocol)}",
        "pdf_url": f"http://testserver{url(protocol)}pdf/",
        "consult": sannes_consult.pk,
        "version": 1,
        "issued_at": body["issued_at"],
        "issued_by": "practitioner",
        "worst_level": "avoid",
        "pdf_sha256": protocol.pdf_sha256,
        "snapshot": protocol.snapshot,
    }
    assert body["snapshot"]["client"]["name"] == "Sanne Mulder"
    assert body["snapshot"]["acknowledgements"][0]["reason"] == "Overlegd met de psychiater."


def test_the_snapshot_does_not_follow_later_changes_of_the_consult(
    practitioner_api, protocol, sannes_consult
):
    practitioner_api.patch(
        f"/api/v1/consults/{sannes_consult.pk}/",
        {"supplements": [{"nutrient": "saffron", "dose_amount": "30", "dose_unit": "mg"}]},
    )

    snapshot = practitioner_api.get(url(protocol)).json()["snapshot"]

    assert [line["nutrient"] for line in snapshot["lines"]] == ["magnesium", "tryptophan"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_an_issued_protocol_cannot_be_changed_or_deleted(practitioner_api, protocol, method):
    response = getattr(practitioner_api, method)(url(protocol), {"version": 7})

    assert response.status_code == 405
    protocol.refresh_from_db()
    assert protocol.version == 1


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_it_answers_404_to_everyone_but_the_practitioner(request, user_api, protocol):
    assert request.getfixturevalue(user_api).get(url(protocol)).status_code == 404


def test_it_answers_404_for_a_protocol_that_does_not_exist(practitioner_api, db):
    assert practitioner_api.get("/api/v1/protocols/999999/").status_code == 404


def test_it_answers_401_to_anonymous_users(anonymous_api, protocol):
    assert anonymous_api.get(url(protocol)).status_code == 401


def test_it_shows_a_protocol_in_a_fixed_number_of_queries(
    practitioner_api, protocol, django_assert_num_queries
):
    # 1 the token with its user, 2 the user's tokens (knox), 3 the user's groups, 4 the protocol
    # with who issued it and its consult, 5 the access log's newest hash, 6 the new entry
    with django_assert_num_queries(6):
        practitioner_api.get(url(protocol))
