"""A real `redis-server` for the tests of the shared cache (issue #15).

One server per test process, on a loopback port, with a temporary directory and no
persistence: stopping it loses every count, as an outage of a cache may. Tests stop and
start it to play an outage. Without `redis-server` on the PATH the tests that need it are
skipped, unless `GUTBRAIN_REQUIRE_REDIS=1` (CI, `.ci/run`) turns the skip into a failure.

The port is `GUTBRAIN_TEST_REDIS_PORT` (8651 by default) plus the number of the xdist
worker, so that `pytest -n 2` starts two servers side by side.
"""

import os
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


def _port() -> int:
    base = int(os.environ.get("GUTBRAIN_TEST_REDIS_PORT", "8651"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return base + int(worker.removeprefix("gw") or 0)


class RedisServer:
    def __init__(self, directory: Path, port: int):
        self.directory = directory
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
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
def redis_server_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
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


@pytest.fixture
def redis_server(redis_server_process: RedisServer, settings) -> Iterator[RedisServer]:
    """The running server, emptied, as the project's default cache (what `REDIS_URL` sets).
    A test that stopped it finds it started again for the next one, and no outage spell
    of this process left over (`gutbrain.api.throttles.cache_outage`)."""
    server = redis_server_process
    if server.process is None:
        server.start()
    settings.CACHES = caches_for(server.url)
    server.cache().clear()
    cache_outage.end()
    yield server
    cache_outage.end()
    if server.process is None:
        server.start()
