"""The rate limits on Redis (`REDIS_URL`, issue #15): counted once for every server, and
skipped, not failed, while Redis is down.

Against a real `redis-server` (`tests.redis_server`). A second server of the cluster
("node B") is played by a cache connection of its own to the same Redis, with the
project's settings: what one node counted, the other sees. The outage is real too: the
server is stopped in the middle of a test and started again.
"""

import logging
import threading

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from gutbrain.api.throttles import BurstRateThrottle, LoginRateThrottle
from tests.factories import PASSWORD
from tests.redis_server import RedisServer

LOGIN = "/accounts/login/"
CHECK = "/api/v1/interaction-check/"
NOT_APPLIED = "not applied to"


@pytest.fixture
def node_b(redis_server: RedisServer):
    return redis_server.cache()


def login_attempt(client: Client, password: str = "wrong password") -> int:
    return client.post(LOGIN, {"username": "practitioner", "password": password}).status_code


def refused_on(node, throttle_class, request) -> bool:
    """Whether a throttle on `node` (its own connection) would refuse `request`."""
    throttle = throttle_class()
    throttle.cache = node
    return not throttle.allow_request(request, None)


def test_the_cache_is_redis_when_configured(redis_server):
    assert type(caches["default"]).__name__ == "RedisCache"


def test_two_nodes_share_one_login_rate(redis_server, node_b, settings, practitioner):
    settings.LOGIN_RATE = "3/minute"
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="127.0.0.1")
    node_a = caches["default"]

    assert not refused_on(node_a, LoginRateThrottle, request)
    assert not refused_on(node_b, LoginRateThrottle, request)
    assert not refused_on(node_a, LoginRateThrottle, request)
    # Three counted, alternately by A and B: the fourth is refused on either.
    assert refused_on(node_b, LoginRateThrottle, request)
    assert refused_on(node_a, LoginRateThrottle, request)


def test_logins_counted_by_the_app_hold_on_the_other_node(
    redis_server, node_b, settings, practitioner
):
    settings.LOGIN_RATE = "2/minute"
    client = Client(REMOTE_ADDR="127.0.0.1")
    assert login_attempt(client) == 200
    assert login_attempt(client) == 200

    request = RequestFactory().post(LOGIN, REMOTE_ADDR="127.0.0.1")
    assert refused_on(node_b, LoginRateThrottle, request)
    assert login_attempt(client) == 429


def test_a_users_api_burst_is_one_count_over_both_nodes(
    redis_server, node_b, settings, practitioner, practitioner_api
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "burst": "3/minute",
        },
    }
    for _ in range(2):
        assert practitioner_api.get("/api/v1/nutrients/").status_code == 200

    request = RequestFactory().get("/api/v1/nutrients/")
    request.user = practitioner
    assert not refused_on(node_b, BurstRateThrottle, request)  # the third, on node B
    assert practitioner_api.get("/api/v1/nutrients/").status_code == 429


def test_a_burst_at_the_same_moment_on_both_nodes_is_counted_exactly(
    redis_server, node_b, settings, practitioner
):
    """Twenty requests at once, half on each node: each is counted, so exactly the rate's
    ten pass (DRF's read-the-history-and-write-it-back let through one per request that
    read the same history)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "burst": "10/minute",
        },
    }
    request = RequestFactory().get("/api/v1/nutrients/")
    request.user = practitioner
    node_a = redis_server.cache()
    start = threading.Barrier(20)
    allowed: list[bool] = []

    def send(node) -> None:
        start.wait()
        allowed.append(not refused_on(node, BurstRateThrottle, request))

    threads = [threading.Thread(target=send, args=(node,)) for node in [node_a, node_b] * 10]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert allowed.count(True) == 10
    assert refused_on(node_a, BurstRateThrottle, request)


def test_a_refusal_says_when_the_window_closes(redis_server, settings, practitioner_api):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "burst": "1/minute",
        },
    }
    assert practitioner_api.get("/api/v1/nutrients/").status_code == 200

    response = practitioner_api.get("/api/v1/nutrients/")

    assert response.status_code == 429
    assert 55 <= int(response["Retry-After"]) <= 60


def skipped(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if NOT_APPLIED in r.getMessage()]


def test_with_redis_down_logins_the_check_and_the_api_keep_working(
    stoppable_redis_server, settings, practitioner, knowledge_base, caplog
):
    settings.LOGIN_RATE = "2/minute"
    api = APIClient()
    api.force_authenticate(practitioner)
    stoppable_redis_server.stop()

    with caplog.at_level(logging.WARNING, logger="gutbrain.api.throttles"):
        # More logins than the rate allows: nothing counts them, nothing refuses them.
        client = Client(REMOTE_ADDR="127.0.0.1")
        assert login_attempt(client) == 200
        assert login_attempt(client) == 200
        assert login_attempt(client, PASSWORD) == 302
        checked = api.post(CHECK, {"nutrients": ["magnesium"], "atc_codes": ["C07AB02"]})
        listed = api.get("/api/v1/nutrients/")

    assert checked.status_code == 200, checked.content
    assert checked.json()["results"][0]["level"] == "separate_intake"
    assert listed.status_code == 200
    assert {r.levelno for r in caplog.records if NOT_APPLIED in r.getMessage()} == {logging.WARNING}
    # Each login post (its rate), and each API request (burst and sustained). The first
    # asked Redis; the others leave it alone for CACHE_OUTAGE_SECONDS.
    warnings = skipped(caplog)
    assert len(warnings) == 3 + 2 * 2
    assert warnings[0].startswith(
        "Rate limit 'login' not applied to POST /accounts/login/: the cache cannot be reached"
    )
    assert all("could not be reached moments ago" in w for w in warnings[1:])


def test_after_a_failure_redis_is_left_alone_for_a_while(
    stoppable_redis_server, settings, practitioner
):
    settings.LOGIN_RATE = "1/minute"
    settings.CACHE_OUTAGE_SECONDS = 60
    client = Client(REMOTE_ADDR="127.0.0.1")
    stoppable_redis_server.stop()
    assert login_attempt(client) == 200

    stoppable_redis_server.start()
    # Past the rate, but not counted: this process has not asked Redis again yet.
    assert login_attempt(client) == 200
    assert login_attempt(client) == 200


def test_counting_resumes_when_redis_is_back(
    stoppable_redis_server, settings, practitioner, caplog
):
    settings.LOGIN_RATE = "2/minute"
    settings.CACHE_OUTAGE_SECONDS = 0  # the spell of leaving Redis alone is over at once
    client = Client(REMOTE_ADDR="127.0.0.1")
    stoppable_redis_server.stop()
    assert login_attempt(client) == 200

    stoppable_redis_server.start()
    caplog.clear()
    assert login_attempt(client) == 200
    assert login_attempt(client) == 200
    assert login_attempt(client) == 429
    assert skipped(caplog) == []


def test_the_health_check_reports_redis_down_and_stays_healthy(stoppable_redis_server, client, db):
    assert client.get("/healthz").json()["cache"] == "ok"
    stoppable_redis_server.stop()

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "down"}
