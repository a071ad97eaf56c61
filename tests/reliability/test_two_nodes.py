"""Two servers on one database (issue #15): a curator's edit in the admin of node A is seen
by the next check on node B, whose process had the interaction table cached from before.
Nothing tells B of the edit; the knowledge base's version row in the database does
(`gutbrain.interactions.table`). The sessions are in the database too: the curator's login
on A is a login on B. With `REDIS_URL`, a user's rate is one count over both nodes, and
both keep answering while Redis is down.

Two gunicorn processes on the test database, so PostgreSQL only: the SQLite test database
lives in the test process's memory.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection

from gutbrain.models import Interaction, Level
from tests.factories import (
    PASSWORD,
    InteractionFactory,
    MedicineClassFactory,
    NutrientFactory,
    api_token,
)
from tests.gutbrain.admin.browser import admin_url, form_data

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two processes need a database they share; SQLite's test database is in memory",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
OXAZEPAM = "N05BA04"


def _ports() -> tuple[int, int]:
    """GUTBRAIN_TEST_NODE_PORT (8653 by default) and the next, two more per xdist worker."""
    base = int(os.environ.get("GUTBRAIN_TEST_NODE_PORT", "8653"))
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    return base + 2 * worker, base + 2 * worker + 1


def _database_url() -> str:
    params = connection.get_connection_params()
    query = "&".join(f"{key}={params[key]}" for key in ("host", "port") if params.get(key))
    return f"postgres://{params['user']}@/{params['dbname']}?{query}"


def _start(port: int, **extra_env: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gutbrain.settings_test",
        "DATABASE_URL": _database_url(),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ACCESS_LOG_KEY": settings.ACCESS_LOG_KEY,
        **extra_env,
    }
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "gutbrain.wsgi:application",
            "--workers=1",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def _wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn for {url} exited with {process.returncode}")
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=5)
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn for {url} did not answer within a minute")


@pytest.fixture
def start_nodes() -> Iterator[Callable[..., tuple[str, str]]]:
    """Starts node A and node B: gunicorn, one worker each, in process groups of their own,
    with the test settings and `env`."""
    processes: list[subprocess.Popen] = []

    def start(**env: str) -> tuple[str, str]:
        urls = []
        for port in _ports():
            processes.append(_start(port, **env))
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            _wait_for(url, process)
        return urls[0], urls[1]

    yield start
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


@pytest.fixture
def nodes(start_nodes) -> tuple[str, str]:
    return start_nodes()


@pytest.fixture
def lemon_balm(db) -> Interaction:
    sedatives = MedicineClassFactory(slug="sedatives", atc_prefixes="N05")
    return InteractionFactory(
        nutrient=NutrientFactory(slug="lemon-balm"), medicine_class=sedatives, level="monitor"
    )


def check_level(node: str, token: str) -> str:
    request = urllib.request.Request(
        f"{node}/api/v1/interaction-check/",
        data=json.dumps({"nutrients": ["lemon-balm"], "atc_codes": [OXAZEPAM]}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["results"][0]["level"]


class Browser:
    """Cookies and CSRF tokens, as a browser keeps them, across any node."""

    def __init__(self) -> None:
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str) -> SimpleNamespace:
        with self.opener.open(url, timeout=30) as response:
            return SimpleNamespace(content=response.read(), url=response.url)

    def post(self, url: str, data: dict[str, list[str]]) -> SimpleNamespace:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        with self.opener.open(url, data=body, timeout=30) as response:
            return SimpleNamespace(content=response.read(), url=response.url)

    def log_in(self, node: str, username: str) -> None:
        page = self.get(f"{node}/admin/login/")
        data = form_data(page, form_id="login-form")
        data.update(username=[username], password=[PASSWORD])
        answer = self.post(f"{node}/admin/login/", data)
        assert answer.url == f"{node}/admin/", "the login did not go through"


def test_an_admin_edit_on_node_a_is_seen_by_the_next_check_on_node_b(
    nodes, lemon_balm, curator, practitioner
):
    node_a, node_b = nodes
    token = api_token(practitioner)
    assert check_level(node_b, token) == "monitor"  # node B has the table cached now

    curator_browser = Browser()
    curator_browser.log_in(node_a, "curator")
    change = f"{node_a}{admin_url('interaction', 'change', lemon_balm.pk)}"
    data = form_data(curator_browser.get(change), form_id="interaction_form")
    data["level"] = [Level.AVOID]
    saved = curator_browser.post(change, data)
    assert saved.url.endswith(admin_url("interaction", "changelist")), saved.content[:2000]

    assert check_level(node_b, token) == "avoid"
    # The session made on node A is good on node B: sessions are in the database.
    assert curator_browser.get(f"{node_b}/admin/").url == f"{node_b}/admin/"


def get_status(node: str, token: str) -> int:
    request = urllib.request.Request(
        f"{node}/api/v1/nutrients/", headers={"Authorization": f"Token {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_users_burst_on_redis_is_one_count_over_both_nodes(
    start_nodes, stoppable_redis_server, practitioner
):
    # The real settings' rates, not the test settings' (which no test reaches by accident).
    node_a, node_b = start_nodes(
        DJANGO_SETTINGS_MODULE="gutbrain.settings",
        REDIS_URL=stoppable_redis_server.url,
        DJANGO_API_RATE_BURST="3/minute",
    )
    token = api_token(practitioner)

    assert [get_status(node, token) for node in (node_a, node_b, node_a)] == [200] * 3
    assert get_status(node_b, token) == 429
    assert get_status(node_a, token) == 429

    stoppable_redis_server.stop()
    assert [get_status(node, token) for node in (node_a, node_b, node_a)] == [200] * 3
