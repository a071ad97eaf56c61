"""POST /api/v1/interaction-check/ refuses ATC codes that are not real, naming
`atc_codes`: a code it cannot place must never be answered as harmless."""

import pytest

from tests.factories import NutrientFactory

URL = "/api/v1/interaction-check/"


@pytest.fixture
def table(db) -> None:
    NutrientFactory(slug="ashwagandha")


def _post(client, atc_codes: list[str]):
    return client.post(
        URL,
        {"nutrients": ["ashwagandha"], "atc_codes": atc_codes},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize("code", ["Z99ZZ99", "E01AA01", "I01AA01", "O01AA01"])
def test_a_code_with_an_unreal_group_letter_is_refused(practitioner_api, table, code):
    response = _post(practitioner_api, ["N05BA04", code])

    assert response.status_code == 400
    assert response.json() == {
        "atc_codes": [
            f"Not a valid ATC code: {code}. An ATC code consists of a main group letter (A, "
            "B, C, D, G, H, J, L, M, N, P, R, S or V), two digits, two letters and two digits, "
            "such as N05BA04."
        ]
    }


def test_a_prefix_is_no_code(practitioner_api, table):
    response = _post(practitioner_api, ["N05B"])

    assert response.status_code == 400
    [message] = response.json()["atc_codes"]
    assert message.startswith("Not a valid ATC code: N05B.")


def test_the_message_is_dutch_by_default(practitioner_api, table):
    response = practitioner_api.post(
        URL, {"nutrients": ["ashwagandha"], "atc_codes": ["Z99ZZ99"]}, format="json"
    )

    [message] = response.json()["atc_codes"]
    assert message.startswith("Geen geldige ATC-code: Z99ZZ99.")


def test_a_code_of_every_real_group_is_checked(practitioner_api, table):
    codes = [f"{letter}01AA01" for letter in "ABCDGHJLMNPRSV"]

    response = _post(practitioner_api, codes)

    assert response.status_code == 200, response.json()
