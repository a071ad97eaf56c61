"""POST /api/v1/interaction-check/, over a small table built with factories."""

from dataclasses import replace

import pytest
from django.utils.translation import override

from gutbrain import models as kb
from gutbrain.api.serializers import InteractionCheckResultSerializer, check_result_data
from gutbrain.interactions import check, load_table
from gutbrain.interactions.rules import NotChecked
from gutbrain.models import Level
from tests.factories import (
    InteractionFactory,
    MedicineClassFactory,
    NutrientFactory,
    ReferenceFactory,
)

URL = "/api/v1/interaction-check/"


def _row(nutrient: kb.Nutrient, target: str, level: str, **extra) -> kb.Interaction:
    return InteractionFactory(
        nutrient=nutrient,
        target=target,
        medicine_class=extra.pop("medicine_class", None),
        level=level,
        **extra,
    )


@pytest.fixture
def table(benzodiazepines) -> None:
    """Rows after the source's interaction overview, cut down to one of each kind."""
    sedatives = benzodiazepines.parent
    mao_inhibitors = MedicineClassFactory(slug="mao-inhibitors", atc_prefixes="N06AF, N06AG")

    ashwagandha = NutrientFactory(slug="ashwagandha")
    monitor = _row(
        ashwagandha,
        "medicine_class",
        kb.Level.MONITOR,
        medicine_class=sedatives,
        advice_nl="Monitor de effecten van de medicijnen.",
        advice_en="Monitor the medicines' effects.",
        client_advice_nl="U gebruikt ook een kalmeringsmiddel. Overleg met uw arts.",
        client_advice_en="You also take a sedative. Talk to your doctor.",
    )
    monitor.references.set([ReferenceFactory(number=42), ReferenceFactory(number=41)])
    _row(ashwagandha, "pregnancy", kb.Level.AVOID, advice_nl="Afgeraden.", advice_en="Avoid.")
    _row(ashwagandha, "breastfeeding", kb.Level.AVOID, advice_nl="Afgeraden.", advice_en="")

    tryptophan = NutrientFactory(slug="tryptophan")
    _row(tryptophan, "medicine_class", kb.Level.AVOID, medicine_class=mao_inhibitors)
    _row(tryptophan, "any_medicine", kb.Level.CONSULT)

    magnesium = NutrientFactory(slug="magnesium")
    _row(
        magnesium,
        "any_medicine",
        kb.Level.SEPARATE_INTAKE,
        advice_nl="Neem 2 uur voor of 4 uur na de medicijnen in.",
        advice_en="Take 2 hours before or 4 hours after the medicines.",
    )

    _row(NutrientFactory(slug="probiotics"), "any_medicine", kb.Level.NONE_KNOWN)
    NutrientFactory(slug="zinc")
    _row(NutrientFactory(slug="draft-herb", is_published=False), "any_medicine", kb.Level.AVOID)


def _check(client, **body) -> dict:
    response = client.post(URL, body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _only(body: dict) -> dict:
    [result] = body["results"]
    return result


def test_a_benzodiazepine_triggers_the_row_for_sedatives(practitioner_api, table):
    body = _check(practitioner_api, nutrients=["ashwagandha"], atc_codes=["N05BA04"])

    assert body == {
        "results": [
            {
                "nutrient": "ashwagandha",
                "level": "monitor",
                "level_label": str(Level.MONITOR.label),
                "findings": [
                    {
                        "level": "monitor",
                        "level_label": str(Level.MONITOR.label),
                        "reason": "medicine",
                        "atc_codes": ["N05BA04"],
                        "medicine_class": "sedatives",
                        "advice": "Monitor de effecten van de medicijnen.",
                        "advice_nl": "Monitor de effecten van de medicijnen.",
                        "advice_en": "Monitor the medicines' effects.",
                        "client_advice": (
                            "U gebruikt ook een kalmeringsmiddel. Overleg met uw arts."
                        ),
                        "client_advice_nl": (
                            "U gebruikt ook een kalmeringsmiddel. Overleg met uw arts."
                        ),
                        "client_advice_en": "You also take a sedative. Talk to your doctor.",
                        "references": [41, 42],
                    }
                ],
            }
        ],
        "worst_level": "monitor",
        "medicines": [
            {
                "atc_code": "N05BA04",
                "name": None,
                "in_reference_list": False,
                "classes": ["benzodiazepines", "sedatives"],
            }
        ],
        "not_checked": [],
    }


def test_it_gives_the_advice_in_the_language_asked_for(practitioner_api, table):
    response = practitioner_api.post(
        URL,
        {"nutrients": ["ashwagandha"], "atc_codes": ["N05BA04"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    [finding] = _only(response.json())["findings"]
    assert finding["advice"] == "Monitor the medicines' effects."
    assert finding["advice_nl"] == "Monitor de effecten van de medicijnen."


def test_it_gives_the_client_text_in_both_languages_and_the_one_asked_for(practitioner_api, table):
    response = practitioner_api.post(
        URL,
        {"nutrients": ["ashwagandha"], "atc_codes": ["N05BA04"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    [finding] = _only(response.json())["findings"]
    assert finding["client_advice"] == "You also take a sedative. Talk to your doctor."
    assert finding["client_advice_nl"] == (
        "U gebruikt ook een kalmeringsmiddel. Overleg met uw arts."
    )
    assert finding["client_advice_en"] == "You also take a sedative. Talk to your doctor."


def test_a_pregnancy_the_source_says_nothing_about_has_a_client_text_too(practitioner_api, table):
    result = _only(_check(practitioner_api, nutrients=["magnesium"], pregnant=True))

    [finding] = result["findings"]
    assert (finding["level"], finding["reason"]) == ("no_data", "pregnancy")
    assert finding["client_advice_nl"] == (
        "Over gebruik tijdens de zwangerschap is niets bekend. Dat betekent niet dat het "
        "veilig is: vraag het uw arts of verloskundige."
    )
    assert finding["client_advice_en"].startswith("Nothing is known about use during pregnancy.")


def test_it_falls_back_to_the_dutch_advice_when_there_is_no_english(practitioner_api, table):
    response = practitioner_api.post(
        URL,
        {"nutrients": ["ashwagandha"], "breastfeeding": True},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    [finding] = _only(response.json())["findings"]
    assert finding["reason"] == "breastfeeding"
    assert finding["advice"] == "Afgeraden."


def test_it_advises_against_tryptophan_with_a_mao_inhibitor(practitioner_api, table):
    result = _only(_check(practitioner_api, nutrients=["tryptophan"], atc_codes=["N06AF03"]))

    assert result["level"] == "avoid"
    assert [(f["level"], f["reason"], f["medicine_class"]) for f in result["findings"]] == [
        ("avoid", "medicine", "mao-inhibitors"),
        ("consult", "any_medicine", None),
    ]


def test_it_says_consult_for_tryptophan_with_any_other_medicine(practitioner_api, table):
    result = _only(_check(practitioner_api, nutrients=["tryptophan"], atc_codes=["N06AB06"]))

    assert result["level"] == "consult"
    [finding] = result["findings"]
    assert finding["reason"] == "any_medicine"
    assert finding["atc_codes"] == ["N06AB06"]
    assert finding["medicine_class"] is None


def test_it_says_separate_intake_for_magnesium_with_any_medicine(practitioner_api, table):
    result = _only(_check(practitioner_api, nutrients=["magnesium"], atc_codes=["A02BC01"]))

    assert result["level"] == "separate_intake"
    assert result["level_label"] == str(Level.SEPARATE_INTAKE.label)
    assert result["findings"][0]["advice"] == "Neem 2 uur voor of 4 uur na de medicijnen in."


def test_it_advises_against_ashwagandha_in_pregnancy(practitioner_api, table):
    result = _only(_check(practitioner_api, nutrients=["ashwagandha"], pregnant=True))

    assert result["level"] == "avoid"
    [finding] = result["findings"]
    assert finding["reason"] == "pregnancy"
    assert finding["atc_codes"] == []
    assert finding["medicine_class"] is None


def test_it_advises_against_ashwagandha_when_breastfeeding(practitioner_api, table):
    result = _only(_check(practitioner_api, nutrients=["ashwagandha"], breastfeeding=True))

    assert result["level"] == "avoid"
    assert [f["reason"] for f in result["findings"]] == ["breastfeeding"]


def test_it_says_no_data_for_a_nutrient_without_rows(practitioner_api, table):
    result = _only(_check(practitioner_api, nutrients=["zinc"], atc_codes=["N05BA04"]))

    assert result == {
        "nutrient": "zinc",
        "level": "no_data",
        "level_label": str(Level.NO_DATA.label),
        "findings": [],
    }


def test_it_says_none_known_where_the_source_says_so(practitioner_api, table):
    result = _only(_check(practitioner_api, nutrients=["probiotics"], atc_codes=["N05BA04"]))

    assert result["level"] == "none_known"
    assert result["findings"] == []


def test_it_says_clear_when_no_row_applies(practitioner_api, table):
    result = _only(_check(practitioner_api, nutrients=["ashwagandha"], atc_codes=["A02BC01"]))

    assert result["level"] == "clear"
    assert result["findings"] == []


def test_it_answers_each_nutrient_in_order_with_the_worst_level_overall(practitioner_api, table):
    body = _check(
        practitioner_api,
        nutrients=["probiotics", "zinc", "magnesium", "tryptophan", "probiotics"],
        atc_codes=["N06AF03"],
    )

    assert [(r["nutrient"], r["level"]) for r in body["results"]] == [
        ("probiotics", "none_known"),
        ("zinc", "no_data"),
        ("magnesium", "separate_intake"),
        ("tryptophan", "avoid"),
    ]
    assert body["worst_level"] == "avoid"


def test_no_data_is_worse_than_the_reassuring_answers(practitioner_api, table):
    body = _check(practitioner_api, nutrients=["probiotics", "zinc", "ashwagandha"])

    assert body["worst_level"] == "no_data"


def test_it_normalises_the_case_and_whitespace_of_atc_codes(practitioner_api, table):
    result = _only(_check(practitioner_api, nutrients=["ashwagandha"], atc_codes=[" n05ba04 "]))

    assert result["findings"][0]["atc_codes"] == ["N05BA04"]


def test_it_checks_in_a_fixed_number_of_queries(practitioner_api, table, django_assert_num_queries):
    body = {"nutrients": ["ashwagandha", "tryptophan"], "atc_codes": ["N05BA04"]}
    # Every request: the token with its user, the user's tokens (knox). The first check reads
    # the table: the version of its tables, then the published nutrients, medicine classes,
    # the medicine reference list, interactions and their references.
    with django_assert_num_queries(8):
        _check(practitioner_api, **body)
    # Later checks use the cached table once its tables' version is seen unchanged.
    with django_assert_num_queries(3):
        _check(practitioner_api, **body)


def _errors(client, body, **kwargs) -> dict:
    """The 400's messages, in English (DRF's own messages come in Dutch by default)."""
    kwargs = {"format": "json", "HTTP_ACCEPT_LANGUAGE": "en", **kwargs}
    response = client.post(URL, body, **kwargs)
    assert response.status_code == 400, response.content
    return response.json()


def test_it_requires_nutrients(practitioner_api, table):
    assert _errors(practitioner_api, {"atc_codes": []}) == {
        "nutrients": ["This field is required."]
    }


def test_it_refuses_an_empty_list_of_nutrients(practitioner_api, table):
    assert _errors(practitioner_api, {"nutrients": []}) == {
        "nutrients": ["This list may not be empty."]
    }


def test_it_names_unknown_nutrients(practitioner_api, table):
    errors = _errors(practitioner_api, {"nutrients": ["ashwagandha", "ashwaganda", "mandrake"]})

    assert errors == {"nutrients": ["Not a published nutrient: ashwaganda, mandrake."]}


def test_it_refuses_an_unpublished_nutrient(practitioner_api, table):
    errors = _errors(practitioner_api, {"nutrients": ["draft-herb"]})

    assert errors == {"nutrients": ["Not a published nutrient: draft-herb."]}


@pytest.mark.parametrize("nutrients", ["ashwagandha", {"slug": "ashwagandha"}, [1], [None], None])
def test_it_refuses_nutrients_that_are_not_a_list_of_strings(practitioner_api, table, nutrients):
    errors = _errors(practitioner_api, {"nutrients": nutrients})

    assert list(errors) == ["nutrients"]
    assert isinstance(errors["nutrients"], list)


def test_it_names_malformed_atc_codes(practitioner_api, table):
    errors = _errors(
        practitioner_api, {"nutrients": ["ashwagandha"], "atc_codes": ["N05BA04", "N05B", "xyz"]}
    )

    assert list(errors) == ["atc_codes"]
    [message] = errors["atc_codes"]
    assert message.startswith("Not a valid ATC code: N05B, XYZ.")


@pytest.mark.parametrize("atc_codes", ["N05BA04", [5], None])
def test_it_refuses_atc_codes_that_are_not_a_list_of_strings(practitioner_api, table, atc_codes):
    errors = _errors(practitioner_api, {"nutrients": ["ashwagandha"], "atc_codes": atc_codes})

    assert list(errors) == ["atc_codes"]


@pytest.mark.parametrize("field", ["pregnant", "breastfeeding"])
@pytest.mark.parametrize("value", ["yes", "true", 1, 0, None, []])
def test_it_takes_only_json_booleans_for_pregnancy_and_breastfeeding(
    practitioner_api, table, field, value
):
    errors = _errors(practitioner_api, {"nutrients": ["ashwagandha"], field: value})

    assert list(errors) == [field]


def test_it_names_unknown_fields_so_a_typo_is_not_read_as_false(practitioner_api, table):
    errors = _errors(practitioner_api, {"nutrients": ["ashwagandha"], "pregnent": True})

    assert errors == {"pregnent": ["Unknown field."]}


def test_it_answers_400_for_broken_json(practitioner_api, table):
    errors = _errors(
        practitioner_api,
        '{"nutrients": ["ashwagandha"',
        format=None,
        content_type="application/json",
    )

    assert list(errors) == ["detail"]
    assert errors["detail"].startswith("JSON parse error")


@pytest.mark.parametrize("body", ['["ashwagandha"]', '"ashwagandha"', "42", "null"])
def test_it_answers_400_for_a_body_that_is_not_a_json_object(practitioner_api, table, body):
    errors = _errors(practitioner_api, body, format=None, content_type="application/json")

    assert list(errors) == ["non_field_errors"]


def test_it_answers_415_for_a_form(practitioner_api, table):
    response = practitioner_api.post(URL, {"nutrients": "ashwagandha"}, format="multipart")

    assert response.status_code == 415


def test_it_does_not_answer_get(practitioner_api, table):
    assert practitioner_api.get(URL).status_code == 405


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("pregnant,breastfeeding", [(False, False), (True, False), (False, True)])
def test_the_answer_says_what_its_schema_serializer_says(
    knowledge_base, language, pregnant, breastfeeding
):
    """The view builds its answer directly (`check_result_data`), for speed; the schema
    documents `InteractionCheckResultSerializer`. Over the whole knowledge base, with every
    medicine of the reference list, the two say the same."""
    table = load_table()
    codes = sorted(table.reference)[:100]
    result = check(
        table, sorted(table.nutrients), codes, pregnant=pregnant, breastfeeding=breastfeeding
    )
    result = replace(result, not_checked=(NotChecked(name="Visolie van de drogist"),))
    assert any(r.findings for r in result.results)
    with override(language):
        assert check_result_data(result) == InteractionCheckResultSerializer(result).data
