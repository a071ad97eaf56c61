"""POST /cds-services/gutbrain-order-select: only the orders just selected are checked."""

import pytest

from tests.cdshooks.conftest import (
    SELECT,
    SIGN,
    bundle,
    hook_call,
    nutrient_order,
    statement,
)

MEDICINES = {
    "medications": bundle(statement("N06AF03", "fenelzine")),
    "pregnancy": None,
    "breastfeeding": None,
}


@pytest.fixture(autouse=True)
def _knowledge(knowledge_base):
    pass


def test_only_the_selected_orders_are_checked(call, ec_ehr):
    tryptophan = nutrient_order("tryptophan", order_id="t1")
    zinc = nutrient_order("zinc", order_id="z1")
    body = hook_call(
        SELECT, (tryptophan, zinc), selections=["MedicationRequest/z1"], prefetch=MEDICINES
    )

    response = call(SELECT, body, ehr=ec_ehr, HTTP_ACCEPT_LANGUAGE="en")

    assert [card["summary"].split(":")[0] for card in response.json()["cards"]] == ["Zinc"]


def test_a_selection_that_is_not_among_the_draft_orders_is_400(call, ec_ehr):
    body = hook_call(
        SELECT,
        (nutrient_order("zinc", order_id="z1"),),
        selections=["MedicationRequest/missing"],
        prefetch=MEDICINES,
    )

    response = call(SELECT, body, ehr=ec_ehr, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {
        "context.selections": ["Not among the draft orders: MedicationRequest/missing."]
    }


@pytest.mark.parametrize("selections", [None, [], "MedicationRequest/z1", [1]])
def test_order_select_needs_its_selections(call, ec_ehr, selections):
    body = hook_call(SELECT, (nutrient_order("zinc", order_id="z1"),), prefetch=MEDICINES)
    if selections is None:
        del body["context"]["selections"]
    else:
        body["context"]["selections"] = selections

    response = call(SELECT, body, ehr=ec_ehr)

    assert response.status_code == 400
    assert list(response.json()) == ["context.selections"]


def test_a_call_of_the_other_hook_is_400(call, ec_ehr):
    body = hook_call(SIGN, (nutrient_order("zinc"),), prefetch=MEDICINES)

    response = call(SELECT, body, ehr=ec_ehr, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"hook": ["This service answers the hook order-select."]}
