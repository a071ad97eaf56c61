"""POST /cds-services/gutbrain-order-sign: the draft orders' nutrients checked against the
prefetched medicines, pregnancy and breastfeeding, answered as cards."""

import pytest

from cdshooks.models import CallOutcome, CdsCall
from tests.cdshooks.conftest import (
    NOT_PREGNANT,
    SIGN,
    bundle,
    hook_call,
    medicine_order,
    nutrient_order,
    pregnancy,
    statement,
    text_order,
)

PHENELZINE = statement("N06AF03", "fenelzine")


@pytest.fixture(autouse=True)
def _knowledge(knowledge_base):
    pass


def _cards(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["cards"]


def test_tryptophan_with_an_mao_inhibitor_is_one_critical_card(call, rsa_ehr):
    body = hook_call(
        SIGN,
        (nutrient_order("tryptophan"),),
        prefetch={"medications": bundle(PHENELZINE), "pregnancy": None, "breastfeeding": None},
    )

    cards = _cards(call(SIGN, body, ehr=rsa_ehr))

    assert [card["indicator"] for card in cards] == ["critical"]
    card = cards[0]
    assert card["summary"] == "Tryptofaan: afgeraden (MAO-remmers)"
    assert card["detail"].startswith(
        "**Afgeraden** – MAO-remmers – fenelzine (N06AF03)\n\nHet gebruik van tryptofaan in "
        "combinatie met monoamineoxidaseremmers (MAO-remmers) wordt afgeraden."
    )
    # The other finding of the same nutrient is in the same card.
    assert "**Overleg met de behandelend arts** – elk medicijn – fenelzine" in card["detail"]
    assert card["source"] == {"label": "gutbrain-kennisbank: wisselwerkingen van supplementen"}


def test_saffron_in_pregnancy_is_critical(call, ec_ehr):
    body = hook_call(
        SIGN,
        (nutrient_order("saffron"),),
        prefetch={"medications": None, "pregnancy": bundle(pregnancy()), "breastfeeding": None},
    )

    cards = _cards(call(SIGN, body, ehr=ec_ehr, HTTP_ACCEPT_LANGUAGE="en"))

    assert [(card["indicator"], card["summary"]) for card in cards] == [
        ("critical", "Saffron: advised against (pregnancy)")
    ]
    assert "Use during pregnancy and breastfeeding is advised against." in cards[0]["detail"]


def test_a_pregnancy_observation_that_says_not_pregnant_is_no_card(call, ec_ehr):
    body = hook_call(
        SIGN,
        (nutrient_order("saffron"),),
        prefetch={
            "medications": None,
            "pregnancy": bundle(pregnancy(NOT_PREGNANT)),
            "breastfeeding": None,
        },
    )

    assert _cards(call(SIGN, body, ehr=ec_ehr)) == []


def test_consult_and_monitor_are_warnings_and_the_rest_info(call, ec_ehr):
    body = hook_call(
        SIGN,
        (nutrient_order("ashwagandha"), nutrient_order("magnesium"), nutrient_order("zinc")),
        prefetch={
            "medications": bundle(statement("N05BA04", "oxazepam")),
            "pregnancy": None,
            "breastfeeding": None,
        },
    )

    cards = _cards(call(SIGN, body, ehr=ec_ehr, HTTP_ACCEPT_LANGUAGE="en"))

    assert [(card["indicator"], card["summary"].split(":")[0]) for card in cards] == [
        ("warning", "Ashwagandha"),
        ("info", "Magnesium"),
        ("info", "Zinc"),
    ]
    zinc = cards[2]
    assert zinc["summary"] == "Zinc: nothing recorded: not known to be safe"
    assert "not proof of safety" in zinc["detail"]


def test_an_order_may_name_its_nutrient_in_dutch_or_english(call, ec_ehr):
    body = hook_call(
        SIGN,
        (text_order("  tryptofaan "), text_order("SAFFRON", order_id="o2")),
        prefetch={"medications": bundle(PHENELZINE), "pregnancy": None, "breastfeeding": None},
    )

    cards = _cards(call(SIGN, body, ehr=ec_ehr))

    assert [card["summary"].split(":")[0] for card in cards] == ["Tryptofaan"]


def test_an_unknown_code_or_name_is_an_info_card_saying_it_was_not_checked(call, ec_ehr):
    body = hook_call(
        SIGN,
        (nutrient_order("kurkuma", display="Kurkuma"), text_order("Sint-janskruid")),
    )

    cards = _cards(call(SIGN, body, ehr=ec_ehr, HTTP_ACCEPT_LANGUAGE="en"))

    assert [(card["indicator"], card["summary"]) for card in cards] == [
        ("info", "Kurkuma: not checked"),
        ("info", "Sint-janskruid: not checked"),
    ]
    assert "kurkuma" in cards[0]["detail"]
    assert "does not mean it is safe" in cards[1]["detail"]


def test_no_order_naming_a_nutrient_is_no_cards(call, ec_ehr):
    body = hook_call(SIGN, (medicine_order("J01CA04", "amoxicilline"),), prefetch={})

    response = call(SIGN, body, ehr=ec_ehr)

    # Nothing to check, so the missing prefetch is not even asked for (no 412).
    assert response.json() == {"cards": []}
    assert CdsCall.objects.get().outcome == CallOutcome.NO_NUTRIENT


def test_a_medicine_ordered_in_the_same_session_counts(call, ec_ehr):
    body = hook_call(SIGN, (nutrient_order("tryptophan"), medicine_order("N06AG02", "moclobemide")))

    cards = _cards(call(SIGN, body, ehr=ec_ehr))

    assert [card["indicator"] for card in cards] == ["critical"]
    assert "moclobemide (N06AG02)" in cards[0]["detail"]


def test_stopped_medicines_do_not_count(call, ec_ehr):
    stopped = statement("N06AF03", "fenelzine", status="stopped")
    body = hook_call(
        SIGN,
        (nutrient_order("tryptophan"),),
        prefetch={"medications": bundle(stopped), "pregnancy": None, "breastfeeding": None},
    )

    assert _cards(call(SIGN, body, ehr=ec_ehr)) == []


def test_medicines_without_an_atc_code_are_named_in_a_card(call, ec_ehr):
    body = hook_call(
        SIGN,
        (nutrient_order("tryptophan"),),
        prefetch={
            "medications": bundle(statement(None, "Nardil 15 mg")),
            "pregnancy": None,
            "breastfeeding": None,
        },
    )

    cards = _cards(call(SIGN, body, ehr=ec_ehr, HTTP_ACCEPT_LANGUAGE="en"))

    assert [(card["indicator"], card["summary"]) for card in cards] == [
        ("info", "1 medicine without an ATC code was not checked against")
    ]
    assert "- Nardil 15 mg" in cards[0]["detail"]


def test_a_single_resource_may_stand_for_the_bundle(call, ec_ehr):
    body = hook_call(
        SIGN,
        (nutrient_order("tryptophan"),),
        prefetch={"medications": PHENELZINE, "pregnancy": None, "breastfeeding": None},
    )

    assert [card["indicator"] for card in _cards(call(SIGN, body, ehr=ec_ehr))] == ["critical"]


def test_the_ehrs_texts_cannot_make_markdown(call, ec_ehr):
    sneaky = statement("N06AF03", "[klik](https://evil.example) <img src=x>")
    body = hook_call(
        SIGN,
        (nutrient_order("tryptophan"),),
        prefetch={"medications": bundle(sneaky), "pregnancy": None, "breastfeeding": None},
    )

    detail = _cards(call(SIGN, body, ehr=ec_ehr))[0]["detail"]

    assert r"\[klik\](https://evil.example) \<img src=x\>" in detail


def test_each_call_is_logged_without_the_patient(call, ec_ehr):
    body = hook_call(
        SIGN,
        (nutrient_order("tryptophan"),),
        prefetch={"medications": bundle(PHENELZINE), "pregnancy": None, "breastfeeding": None},
    )

    call(SIGN, body, ehr=ec_ehr)

    logged = CdsCall.objects.get()
    assert (logged.client, logged.issuer, logged.service, logged.hook) == (
        ec_ehr.client,
        ec_ehr.issuer,
        SIGN,
        "order-sign",
    )
    assert (logged.outcome, logged.status_code, logged.cards, logged.fetched) == (
        CallOutcome.CARDS,
        200,
        1,
        False,
    )
    values = " ".join(str(value) for value in CdsCall.objects.values().get().values())
    assert "pat-" not in values
    assert body["hookInstance"] not in values


def test_the_whole_call_is_eight_queries_with_the_table_cached(
    call, ec_ehr, django_assert_num_queries
):
    """The EHR; expired token ids removed; the token's id (in a savepoint: three); the
    nutrients' names; the table's version (the table itself cached by the first call); the
    call's log entry."""
    body = hook_call(
        SIGN,
        (nutrient_order("tryptophan"), nutrient_order("saffron")),
        prefetch={"medications": bundle(PHENELZINE), "pregnancy": None, "breastfeeding": None},
    )
    call(SIGN, body, ehr=ec_ehr)

    with django_assert_num_queries(8):
        assert call(SIGN, body, ehr=ec_ehr).status_code == 200
