"""GET /api/v1/consults/{id}/check/"""

import pytest

from gutbrain.models import Nutrient
from tests.factories import ClientMedicationFactory


def url(consult) -> str:
    return f"/api/v1/consults/{consult.pk}/check/"


def test_it_checks_the_lines_against_the_clients_medicines(practitioner_api, sannes_consult):
    response = practitioner_api.get(url(sannes_consult))

    assert response.status_code == 200
    body = response.json()
    assert body["worst_level"] == "avoid"
    assert [(r["nutrient"], r["level"]) for r in body["results"]] == [
        ("magnesium", "separate_intake"),
        ("tryptophan", "avoid"),
    ]
    worst = body["results"][1]["findings"][0]
    assert (worst["level"], worst["atc_codes"]) == ("avoid", ["N06AF03"])


def test_it_answers_as_the_interaction_check_does_for_the_same_client(
    practitioner_api, sanne, sannes_consult
):
    ClientMedicationFactory(client=sanne, atc_code="N05BA04", name="oxazepam")
    sannes_consult.pregnant = True
    sannes_consult.save()

    consult = practitioner_api.get(url(sannes_consult), HTTP_ACCEPT_LANGUAGE="en")
    direct = practitioner_api.post(
        "/api/v1/interaction-check/",
        {
            "nutrients": ["magnesium", "tryptophan"],
            "atc_codes": ["N06AF03", "N05BA04"],
            "pregnant": True,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert direct.status_code == 200
    answer = consult.json()
    assert len(answer.pop("check_digest")) == 64
    assert [r.pop("source") for r in answer["results"]] == ["protocol", "protocol"]
    assert answer == direct.json()


def test_a_consult_without_lines_has_nothing_to_check(
    practitioner_api, knowledge_base, sanne, make_consult
):
    response = practitioner_api.get(url(make_consult(sanne)))

    body = response.json()
    assert (body["results"], body["worst_level"], body["not_checked"]) == ([], None, [])
    assert [m["atc_code"] for m in body["medicines"]] == ["N06AF03"]


def test_it_answers_409_when_a_lines_nutrient_is_no_longer_published(
    practitioner_api, sannes_consult
):
    Nutrient.objects.filter(slug="tryptophan").update(is_published=False)

    response = practitioner_api.get(url(sannes_consult))

    assert response.status_code == 409
    assert "tryptophan" in response.json()["detail"]


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_it_answers_404_to_everyone_but_the_practitioner(request, user_api, sannes_consult):
    assert request.getfixturevalue(user_api).get(url(sannes_consult)).status_code == 404


def test_it_answers_401_to_anonymous_users(anonymous_api, sannes_consult):
    assert anonymous_api.get(url(sannes_consult)).status_code == 401


def test_it_answers_405_to_a_post(practitioner_api, sannes_consult):
    assert practitioner_api.post(url(sannes_consult), {}).status_code == 405


def test_the_number_of_queries_does_not_grow_with_the_lines_and_medicines(
    practitioner_api, sanne, sannes_consult, make_consult, django_assert_num_queries
):
    # 1 the token with its user, 2 the user's tokens (knox), 3 the user's groups, 4 the consult with
    # its client, 5 its lines with the nutrient, 6 the client's medicines, 7 their own supplements
    # with the nutrient, 8 the access log's newest hash, 9 the new entry, 10 the interaction table's
    # version, 11-15 the interaction table (nutrients, medicine classes, the medicine reference
    # list, interactions, their references)
    with django_assert_num_queries(15):
        practitioner_api.get(url(sannes_consult))

    larger = make_consult(sanne, "magnesium", "tryptophan", "saffron", "zinc", "ashwagandha")
    for code in ["N05BA04", "N06AB06", "N05CD07"]:
        ClientMedicationFactory(client=sanne, atc_code=code)
    # The same but 11-15: the knowledge base is unchanged, so the table read by the first
    # request is used again.
    with django_assert_num_queries(10):
        assert len(practitioner_api.get(url(larger)).json()["results"]) == 5
