"""A real `redis-server` for the tests of the shared cache (issue #15).

`redis_server` is the server the tests count in. When `GUTBRAIN_TEST_REDIS_URL` is set
(`.ci/run` starts one redis-server for the whole run and sets it, e.g.
`redis://127.0.0.1:8820`), it is that server, each xdist worker in a database of its own
(number 1 for gw0, 2 for gw1, ...), which the fixture empties before each test. Otherwise
it is a server of this test process's own, as is `stoppable_redis_server` always: the tests
that stop and start it to play an outage take that one, since stopping the shared server
would pull it from under the other worker.

A server of the process's own listens on a loopback port, with a temporary directory and
no persistence: stopping it loses every count, as an outage of a cache may. Its port is
`GUTBRAIN_TEST_REDIS_PORT` (8651 by default) plus the number of the xdist worker, so that
`pytest -n 2` starts two side by side. Without `redis-server` on the PATH the tests that
need one are skipped, unless `GUTBRAIN_REQUIRE_REDIS=1` (CI, `.ci/run`) turns the skip into
a failure.
"""

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache.backends.redis import RedisCache

from gutbrain.api.throttles import cache_outage
from gutbrain.settings import caches_for

REDIS_SERVER = shutil.which("redis-server")


def _worker() -> int:
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def _port() -> int:
    return int(os.environ.get("GUTBRAIN_TEST_REDIS_PORT", "8651")) + _worker()


def _shared_url() -> str | None:
    """The server `.ci/run` started, in this worker's own database, or None."""
    url = os.environ.get("GUTBRAIN_TEST_REDIS_URL", "").strip().rstrip("/")
    if not url:
        return None
    return f"{re.sub(r'/[0-9]+$', '', url)}/{_worker() + 1}"


class RedisServer:
    """A redis-server this process started (`directory` and `port`), or, with `url`, one
    that was running already, which a test cannot stop."""

    def __init__(self, directory: Path | None = None, port: int = 0, *, url: str = ""):
        self.directory = directory
        self.port = port
        self.shared = bool(url)
        self.url = url or f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.shared or self.process is not None

    def start(self) -> None:
        assert not self.shared, "the shared redis-server is started by .ci/run"
        assert self.process is None, "redis-server is already running"
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"redis-server did not start on port {self.port} (is it taken?)")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"redis-server did not answer on port {self.port} within 10 seconds")

    def stop(self) -> None:
        """Ends the server as an outage would: its connections drop, its counts are lost."""
        assert not self.shared, "an outage is played on `stoppable_redis_server`"
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def cache(self) -> RedisCache:
        """A connection of its own, as another server ("node") of the cluster has: the
        project's cache settings, a pool of its own."""
        params = caches_for(self.url)["default"]
        return RedisCache(params["LOCATION"], params)


@pytest.fixture(scope="session")
def own_redis_server_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A redis-server of this test process's own, started when a test first needs it."""
    if REDIS_SERVER is None:
        reason = (
            "redis-server is not installed: `make redis-server` (the Debian package "
            "redis-server) installs it"
        )
        if os.environ.get("GUTBRAIN_REQUIRE_REDIS") == "1":
            pytest.fail(f"GUTBRAIN_REQUIRE_REDIS=1 but {reason}")
        pytest.skip(reason)
    server = RedisServer(tmp_path_factory.mktemp("redis"), _port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_server_process(request: pytest.FixtureRequest) -> RedisServer:
    url = _shared_url()
    if url:
        return RedisServer(url=url)
    return request.getfixturevalue("own_redis_server_process")


def _as_the_cache(server: RedisServer, settings) -> Iterator[RedisServer]:
    """The running server, emptied, as the project's default cache (what `REDIS_URL` sets).
    A test that stopped it finds it started again for the next one, and no outage spell
    of this process left over (`gutbrain.api.throttles.cache_outage`)."""
    if not server.running:
        server.start()
    settings.CACHES = caches_for(server.url)
    server.cache().clear()  # FLUSHDB: this worker's database only
    cache_outage.end()
    yield server
    cache_outage.end()
    if not server.running:
        server.start()


@pytest.fixture
def redis_server(redis_server_process: RedisServer, settings) -> Iterator[RedisServer]:
    """The server the tests count in: `.ci/run`'s shared one or this process's own."""
    yield from _as_the_cache(redis_server_process, settings)


@pytest.fixture
def stoppable_redis_server(
    own_redis_server_process: RedisServer, settings
) -> Iterator[RedisServer]:
    """A server of this process's own, which the test may stop and start."""
    yield from _as_the_cache(own_redis_server_process, settings)
