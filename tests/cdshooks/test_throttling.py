"""CDS Hooks calls are counted per EHR (its `iss`), under their own rate (`cds`), not the
anonymous rate of an address."""

import pytest

from cdshooks.models import CallOutcome, CdsCall
from tests.cdshooks.conftest import SIGN, hook_call, nutrient_order

BODY = hook_call(SIGN, (nutrient_order("zinc"),))
OUT_OF_REACH = "100000/minute"


@pytest.fixture
def rates(settings, knowledge_base):
    def set_rates(**rates: str) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                scope: rates.get(scope, OUT_OF_REACH)
                for scope in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
            },
        }

    return set_rates


def test_an_ehr_past_its_rate_gets_429_and_another_ehr_does_not(rates, call, rsa_ehr, ec_ehr):
    rates(cds="2/minute")
    assert call(SIGN, BODY, ehr=rsa_ehr).status_code == 200
    assert call(SIGN, BODY, ehr=rsa_ehr).status_code == 200

    response = call(SIGN, BODY, ehr=rsa_ehr)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert call(SIGN, BODY, ehr=ec_ehr).status_code == 200
    assert CdsCall.objects.filter(outcome=CallOutcome.THROTTLED).count() == 1


def test_the_anonymous_rate_does_not_count_an_ehrs_calls(rates, call, rsa_ehr):
    rates(anon="1/minute", burst="1/minute", sustained="1/hour")

    for _ in range(3):
        assert call(SIGN, BODY, ehr=rsa_ehr).status_code == 200


def test_discovery_is_counted_per_address_as_anonymous_requests_are(rates, client):
    rates(anon="2/minute")
    assert client.get("/cds-services").status_code == 200
    assert client.get("/cds-services").status_code == 200

    assert client.get("/cds-services").status_code == 429


def test_an_ehrs_rate_holds_with_the_counts_in_redis(redis_server, rates, call, ec_ehr):
    rates(cds="2/minute")
    assert call(SIGN, BODY, ehr=ec_ehr).status_code == 200
    assert call(SIGN, BODY, ehr=ec_ehr).status_code == 200

    assert call(SIGN, BODY, ehr=ec_ehr).status_code == 429


def test_an_ehrs_calls_are_answered_while_redis_is_down(
    stoppable_redis_server, rates, call, ec_ehr
):
    rates(cds="2/minute")
    stoppable_redis_server.stop()

    answers = [call(SIGN, BODY, ehr=ec_ehr) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert not CdsCall.objects.filter(outcome=CallOutcome.THROTTLED).exists()
