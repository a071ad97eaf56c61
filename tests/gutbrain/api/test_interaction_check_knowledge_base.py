"""The interaction check over the API against the real table of the source document."""

import pytest

URL = "/api/v1/interaction-check/"


@pytest.fixture
def check(practitioner_api, knowledge_base):
    def check(nutrient: str, **body) -> dict:
        response = practitioner_api.post(URL, {"nutrients": [nutrient], **body}, format="json")
        assert response.status_code == 200, response.content
        [result] = response.json()["results"]
        return result

    return check


def test_magnesium_is_taken_apart_from_any_medicine(check):
    result = check("magnesium", atc_codes=["C07AB02"])

    assert result["level"] == "separate_intake"
    assert [f["reason"] for f in result["findings"]] == ["any_medicine"]


def test_tryptophan_is_advised_against_with_phenelzine(check):
    result = check("tryptophan", atc_codes=["N06AF03"])

    assert result["level"] == "avoid"
    assert result["findings"][0]["medicine_class"] == "mao-inhibitors"


def test_ashwagandha_is_monitored_with_a_benzodiazepine_through_the_sedatives_row(check):
    result = check("ashwagandha", atc_codes=["N05BA04"])

    assert result["level"] == "monitor"
    assert [f["medicine_class"] for f in result["findings"]] == ["sedatives"]


def test_nothing_is_recorded_on_zinc(check):
    assert check("zinc", atc_codes=["N05BA04"])["level"] == "no_data"


def test_no_interactions_are_known_for_probiotics(check):
    assert check("probiotics", atc_codes=["N05BA04"])["level"] == "none_known"


def test_saffron_is_advised_against_in_pregnancy(check):
    result = check("saffron", pregnant=True)

    assert result["level"] == "avoid"
    assert [f["reason"] for f in result["findings"]] == ["pregnancy"]
