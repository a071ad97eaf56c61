"""`make bench-cluster`: the cluster of issue #15 losing a node under load.

Run through `make bench-cluster` (a throwaway PostgreSQL as CI starts it, `.ci/pg.sh`)
with `BENCH_SCALE=small` (2,000 clients, under four minutes) or `full`
(10,000 clients, a longer measurement of the requests per second). It starts, on loopback
ports from `BENCH_CLUSTER_PORT` (8810–8815 by default): HAProxy (as `make cluster` sets it
up: `GET /healthz` checks every second, X-Forwarded-For, connecting from 127.0.0.2),
gunicorn nodes behind it (`benchmarks.run.Server`, each in a process group of its own),
redis-server and moto's S3 server; the demo data of `make bench` (`generate_demo_data`) and
the mixed workload of `benchmarks/locustfile.py`.

- `cluster_rps_ratio`: the most requests per second of the mixed workload (locust users
  without pauses) on two nodes of 2 workers each ÷ on one node of 4 workers, behind the
  same HAProxy, Redis and S3 server. All three nodes run; HAProxy sends the requests to
  one configuration and holds the other in maintenance, switching every 4 s, so that both
  meet the same load from whatever else the machine runs;
- the fault run: 50 users of the mixed workload (a click every 2 to 6 s) and two API
  writers (a consult created, its protocol issued, a pause of a second) through HAProxy
  for 60 s; at 20 s node 1's whole process group is SIGKILLed, at 40 s it is started
  again. `cluster_errors`: the failed requests beyond those in flight on node 1 when it
  was killed (a failure that began before node 1's port refused connections and ended
  after the signal: `cluster_errors_in_flight`; HAProxy's count of requests on
  node 1 just before the kill is reported beside it);
  `cluster_p95_ms`: the users' requests after the ramp-up's logins;
- `cluster_lost_writes`: a writer's 2xx whose consult or protocol is not in the database
  afterwards, or whose PDF is not in the bucket with the SHA-256 it was issued with (read
  from S3 directly, not through the app, which would repair it);
- `throttle_shared`: both nodes started again with a burst rate of 20/minute; 40 requests
  of one user at once, alternating between the nodes directly: exactly 20 answered 200.

Prints a table and merges the figures into `var/bench/results.json` (beside those of
`make bench` and `make bench-faults`); exits non-zero when a goal is missed.
"""

import csv
import hashlib
import io
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import django

from benchmarks.faults import call
from benchmarks.run import (
    BIN,
    GUNICORN_THREADS,
    OUT,
    ROOT,
    Figure,
    Report,
    Server,
    bench_practice,
    issue,
    make_practitioner,
    median_of,
    p95,
    prepare_database,
    print_table,
    step,
    workload,
)

PROXY_ADDRESS = "127.0.0.2"  # HAProxy's side of its connections to the nodes
BUCKET = "gutbrain-bench-cluster"
WORKERS = 4  # gunicorn workers in all: one node of 4, or two of 2
USERS = 50
SPAWN_RATE = 5
BURST = 20
LOGIN_ALLOWANCE_S = 12
SLICE_S = 4


@dataclass(frozen=True)
class Scale:
    clients: int
    practitioners: int
    rps_seconds: float  # the turns of the two configurations together
    rps_users: int = 16  # users without pauses: the 16 threads of the 4 workers busy
    run_seconds: float = 60
    kill_at: float = 20
    restart_at: float = 40
    writers: int = 2


SCALES = {
    "small": Scale(clients=2_000, practitioners=10, rps_seconds=32),
    "full": Scale(clients=10_000, practitioners=10, rps_seconds=80),
}


def ports() -> dict[str, int]:
    base = int(os.environ.get("BENCH_CLUSTER_PORT", "8810"))
    names = ("proxy", "node1", "node2", "redis", "s3", "solo")
    return {name: base + n for n, name in enumerate(names)}


def healthy(port: int) -> bool:
    status = call(port, "GET", "/healthz", "")[0]
    return status == 200


# The engines: Redis, S3, HAProxy ------------------------------------------------------------


def start(command: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for(what: str, answers) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if answers():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer within a minute")


def redis_answers(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")


class HAProxy:
    """HAProxy in front of node1 and node2, as `make cluster` configures it; its stats
    socket says what it sees and holds a node in maintenance."""

    def __init__(self, workdir: Path, port: dict[str, int]):
        self.socket_path = workdir / "haproxy.sock"
        config = workdir / "haproxy.cfg"
        config.write_text(
            f"""global
    maxconn 2000
    stats socket {self.socket_path} mode 600 level admin

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    option forwardfor
    # A connection to a node per request: no request is sent on a kept-alive connection
    # that the node is closing at that moment, which HAProxy answers by closing the
    # client's connection without an answer (as the node did).
    option http-server-close
    retries 3
    option redispatch 1
    source {PROXY_ADDRESS}

frontend gutbrain
    bind 127.0.0.1:{port["proxy"]}
    default_backend nodes

backend nodes
    balance leastconn
    option httpchk GET /healthz
    http-check expect status 200
    # A check is a question of up or down, not of speed: a node busy with a queue of
    # requests has 5 s to answer; a dead node refuses the connection at once.
    timeout check 5s
    default-server inter 1s fall 2 rise 2
    server node1 127.0.0.1:{port["node1"]} check
    server node2 127.0.0.1:{port["node2"]} check
    server solo 127.0.0.1:{port["solo"]} check disabled
"""
        )
        self.port = port["proxy"]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = start(["haproxy", "-f", str(config)], OUT / "cluster-haproxy.log")
        wait_for("HAProxy", self.socket_path.exists)

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(self.socket_path))
            sock.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def stats(self) -> dict[str, dict[str, str]]:
        """`show stat` of the nodes, by name: `scur` (requests in flight), `stot`, `status`."""
        text = self.command("show stat").lstrip("# ")
        return {
            row["svname"]: row
            for row in csv.DictReader(io.StringIO(text))
            if row["pxname"] == "nodes" and row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def set_state(self, node: str, state: str) -> None:
        self.command(f"set server nodes/{node} state {state}")

    def wait_until_up(self, nodes: list[str]) -> None:
        wait_for(
            f"HAProxy's checks of {', '.join(nodes)}",
            lambda: all(self.stats()[n]["status"] == "UP" for n in nodes),
        )

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


# The nodes ------------------------------------------------------------------------------------


_logs = iter(range(1, 1000))


def node(name: str, port: dict[str, int], workers: int, **env: str) -> Server:
    """A gunicorn node; its log is var/bench/cluster-<name>-<n>.log, n counting its starts."""
    return Server(
        GUNICORN_THREADS,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DJANGO_TRUSTED_PROXIES": PROXY_ADDRESS,
            # 50 users log in within ten seconds, all from 127.0.0.1.
            "DJANGO_LOGIN_RATE": "100000/minute",
            **env,
        },
        log=OUT / f"cluster-{name}-{next(_logs)}.log",
        ready=healthy,
        port=port[name],
        workers=workers,
        own_group=True,
    )


def nodes_of(count: int, port: dict[str, int], **env: str) -> dict[str, Server]:
    """`count` nodes with `WORKERS` workers between them, started side by side."""
    names = ["node1", "node2"][:count]
    started: dict[str, Server] = {}
    failures: list[BaseException] = []

    def one(name: str) -> None:
        try:
            started[name] = node(name, port, WORKERS // count, **env)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=one, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        stop_all(started)
        raise failures[0]
    return started


def stop_all(servers: dict[str, Server]) -> None:
    for server in servers.values():
        if server.process.poll() is None:
            server.stop()


# Locust ---------------------------------------------------------------------------------------


def refused(port: int, seconds: float = 5) -> float:
    """The moment a connection to `port` is refused (the killed node's listening socket is
    closed; until then the kernel may still take a connection for it), or after `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except ConnectionRefusedError:
            break
        except OSError:
            pass
        time.sleep(0.001)
    return time.time()


def ready_file(label: str) -> Path:
    """Where the locust run `label` writes the moment its last user has logged in."""
    return OUT / f"cluster-locust-{label}.ready"


def locust(
    host: str, workload_path: Path, *, users: int, spawn_rate: float, seconds: float, label: str
) -> list:
    """Runs the mixed workload headless; every request's (end time, name, ms, failed).

    Its users log in first, at `spawn_rate` a second (the ramp-up); the workload's
    `seconds` start when the last of them is in (`ready_file`), and locust stops itself
    after them (`--run-time` only bounds a run whose logins hang)."""
    samples_path = OUT / f"cluster-locust-{label}.json"
    ready_file(label).unlink(missing_ok=True)
    with open(OUT / f"cluster-locust-{label}.log", "w") as log:
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(spawn_rate),
                "--run-time",
                f"{seconds + 3 * users / spawn_rate + 60:.0f}s",
                "--host",
                host,
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "BENCH_WORKLOAD": str(workload_path),
                "BENCH_SAMPLES": str(samples_path),
                "BENCH_USERS": str(users),
                "BENCH_LOAD_SECONDS": str(seconds),
                "BENCH_READY_FILE": str(ready_file(label)),
                "BENCH_WAIT": "0" if label.startswith("rps") else "",
                "PYTHONPATH": str(ROOT),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    return json.loads(samples_path.read_text())


LOGIN = "/accounts/login/ (post)"


def after_logins(samples: list) -> list:
    """The samples after the last login of the ramp-up was answered."""
    opens = max((s[0] for s in samples if s[1] == LOGIN), default=0)
    return [s for s in samples if s[0] > opens]


class Turns:
    """Switches HAProxy between the two configurations every `SLICE_S` seconds while
    locust runs: `solo` (one node of 4 workers) or `node1` and `node2` (2 workers each),
    the others held in maintenance. Taking turns this often, both meet the same load from
    whatever else the machine is doing."""

    def __init__(self, haproxy: HAProxy):
        self.haproxy = haproxy
        self.slices: list[tuple[float, float, str]] = []  # (from, to, "one" or "two")
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def use(self, configuration: str) -> None:
        one = configuration == "one"
        # The new ones first: never a moment without a node.
        for name in ("solo",) if one else ("node1", "node2"):
            self.haproxy.set_state(name, "ready")
        for name in ("node1", "node2") if one else ("solo",):
            self.haproxy.set_state(name, "maint")

    def run(self) -> None:
        configuration = "one"
        while not self.stopping.is_set():
            self.use(configuration)
            began = time.time()
            self.stopping.wait(SLICE_S)
            self.slices.append((began, time.time(), configuration))
            configuration = "two" if configuration == "one" else "one"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()


def rps_ratio(report: Report, haproxy: HAProxy, workload_path: Path, scale: Scale, port) -> dict:
    """The most requests per second of one node of 4 workers and of two nodes of 2, taking
    turns within one locust run; returns the two nodes, running, for the fault run."""
    step(
        f"most requests per second: one node of {WORKERS} workers and two of {WORKERS // 2}, "
        f"taking turns every {SLICE_S:.0f} s for {scale.rps_seconds:.0f} s"
    )
    servers = nodes_of(2, port)
    solo = node("solo", port, WORKERS)
    haproxy.set_state("solo", "ready")
    haproxy.wait_until_up(["solo", *servers])
    turns = Turns(haproxy)
    turns.start()
    try:
        samples = locust(
            haproxy.url,
            workload_path,
            users=scale.rps_users,
            spawn_rate=scale.rps_users,
            # The users log in first, all at once (a password check each): the turns are
            # counted from when the last login has been answered.
            seconds=scale.rps_seconds + LOGIN_ALLOWANCE_S,
            label="rps",
        )
    finally:
        turns.stop()
        solo.stop()
    haproxy.set_state("solo", "maint")
    for name in servers:
        haproxy.set_state(name, "ready")
    haproxy.wait_until_up(list(servers))
    opens = max((s[0] for s in samples if s[1] == LOGIN), default=0)
    seconds = {"one": 0.0, "two": 0.0}
    answered = {"one": 0, "two": 0}
    failed = 0
    for began, ended, configuration in turns.slices:
        if ended <= opens:
            continue
        began = max(began, opens)
        seconds[configuration] += ended - began
        # A request belongs to the turn in which it was sent.
        for end, name, ms, error in samples:
            if name != LOGIN and began <= end - ms / 1000 < ended:
                answered[configuration] += not error
                failed += error
    rps = {c: answered[c] / seconds[c] if seconds[c] else 0.0 for c in seconds}
    ratio = rps["two"] / rps["one"] if rps["one"] else 0.0
    report.details["cluster_rps"] = {
        "seconds": seconds,
        "answered": answered,
        "failed": failed,
        "turns": len(turns.slices),
    }
    report.add(
        Figure(
            "cluster_rps_ratio",
            round(ratio, 3),
            "≥ 0.9",
            ratio >= 0.9 and failed == 0 and min(seconds.values()) > 0,
            note=(
                f"two nodes × {WORKERS // 2} workers {rps['two']:.1f} req/s, one node × "
                f"{WORKERS} workers {rps['one']:.1f} req/s, over {seconds['two']:.0f} s and "
                f"{seconds['one']:.0f} s in turns of {SLICE_S:.0f} s ({scale.rps_users} users "
                f"without pauses, {failed} failed); cpu_count {os.cpu_count()}"
            ),
        )
    )
    return servers


# The fault run --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    kind: str  # "consult" or "protocol"
    started: float  # time.time()
    ended: float
    status: int | None  # None: no answer
    record: int | None  # the id a 2xx gave


class Writers:
    """Threads that create a consult through HAProxy, issue its protocol and pause."""

    def __init__(self, port: int, token: str, clients: list[int], nutrients: list[str]):
        self.port, self.token = port, token
        self.clients, self.nutrients = clients, nutrients
        self.writes: list[Write] = []
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def send(self, kind: str, path: str, body: dict) -> Write:
        started = time.time()
        status, _, content = call(self.port, "POST", path, self.token, body)
        record = None
        if status is not None and 200 <= status < 300:
            try:
                record = int(json.loads(content)["id"])
            except (ValueError, KeyError, TypeError):
                record = -1  # a 2xx that names no record: counted as lost
        write = Write(kind, started, time.time(), status, record)
        self.writes.append(write)
        return write

    def write(self, rng: random.Random) -> None:
        while not self.stopping.is_set():
            created = self.send(
                "consult",
                "/api/v1/consults/",
                {
                    "client": rng.choice(self.clients),
                    "supplements": [
                        {"nutrient": slug, "dose_amount": "200", "dose_unit": "mg"}
                        for slug in rng.sample(self.nutrients, 3)
                    ],
                },
            )
            if created.record and created.record > 0:
                self.send("protocol", f"/api/v1/consults/{created.record}/protocols/", {})
            self.stopping.wait(1)

    def start(self, count: int) -> None:
        self.threads = [
            threading.Thread(target=self.write, args=(random.Random(n),), daemon=True)
            for n in range(count)
        ]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def writer_setup() -> tuple[str, list[int], list[str]]:
    from django.utils import timezone

    from gutbrain.models import Nutrient
    from gutbrain.tokens import issue_token
    from practice.models import Client

    practice = bench_practice("Benchpraktijk cluster")
    user = make_practitioner("bench-cluster", practice)
    clients = [
        Client.objects.create(
            practice=practice,
            practitioner=user,
            client_number=f"CLUSTER-{n}",
            first_name="Cluster",
            last_name=f"Test {n}",
            date_of_birth=timezone.localdate().replace(year=1970 + n),
        ).pk
        for n in range(8)
    ]
    nutrients = list(Nutrient.objects.published().values_list("slug", flat=True))
    return issue_token(user=user)[1], clients, nutrients


def fault_run(
    report: Report,
    haproxy: HAProxy,
    servers: dict,
    workload_path: Path,
    scale: Scale,
    port: dict[str, int],
    writers: "Writers",
) -> list[Write]:
    step(
        f"{USERS} users and {scale.writers} writers through HAProxy for "
        f"{scale.run_seconds:.0f} s; node1's process group SIGKILLed at {scale.kill_at:.0f} s, "
        f"started again at {scale.restart_at:.0f} s"
    )
    events: dict = {}

    def fault() -> None:
        # The timeline starts with the workload, when every user has logged in.
        deadline = time.time() + 3 * USERS / SPAWN_RATE + 60
        while not ready_file("faults").exists() and time.time() < deadline:
            time.sleep(0.1)
        begun = events["begun"] = time.time()
        time.sleep(max(0.0, begun + scale.kill_at - time.time()))
        events["in_flight_on_node1"] = int(haproxy.stats()["node1"]["scur"] or 0)
        events["killed_at"] = time.time()
        servers["node1"].kill_group()
        events["gone_at"] = refused(port["node1"])
        time.sleep(max(0.0, begun + scale.restart_at - time.time()))
        events["restarted_at"] = time.time()
        servers["node1"] = node("node1", port, WORKERS // 2)
        events["answering_after_s"] = round(time.time() - events["restarted_at"], 1)
        haproxy.wait_until_up(["node1"])
        events["back_in_pool_after_s"] = round(time.time() - events["restarted_at"], 1)
        events["node1_requests_before_the_end"] = int(haproxy.stats()["node1"]["stot"])

    ready_file("faults").unlink(missing_ok=True)  # not an earlier run's
    faulter = threading.Thread(target=fault, daemon=True)
    writers.start(scale.writers)
    faulter.start()
    try:
        samples = locust(
            haproxy.url,
            workload_path,
            users=USERS,
            spawn_rate=SPAWN_RATE,
            seconds=scale.run_seconds,
            label="faults",
        )
    finally:
        writers.stop()
        faulter.join()
    events["node1_requests_at_the_end"] = int(haproxy.stats()["node1"]["stot"])
    killed, gone = events["killed_at"], events.pop("gone_at")
    events["node1_refusing_after_s"] = round(gone - killed, 3)
    # Seconds into the workload (from the moment the last user had logged in).
    begun = events.pop("begun")
    events["killed_at"] = round(killed - begun, 1)
    events["restarted_at"] = round(events["restarted_at"] - begun, 1)

    # Every failure, of the users and of the writers, as (began, ended).
    failures = [(end - ms / 1000, end) for end, _, ms, failed in samples if failed]
    failures += [
        (w.started, w.ended) for w in writers.writes if w.status is None or w.status >= 400
    ]
    spanning = sum(1 for began, ended in failures if began <= killed <= ended + 0.001)
    # In flight on node 1 while it was killed: sent before its port refused connections
    # (a connection its dying workers or its still open socket took), failed after the
    # signal.
    in_flight = sum(1 for began, ended in failures if began <= gone and ended >= killed)
    errors = len(failures) - in_flight
    steady = after_logins(samples)
    p95_ms = p95([s[2] for s in steady]) if steady else None
    written = [w for w in writers.writes if w.record is not None]
    failed_writes = [w for w in writers.writes if w.status is None or w.status >= 400]
    report.details["cluster_faults"] = {
        **events,
        # Each failure: what, and when it began and ended, in seconds after the kill.
        "failures": [
            (name, round(end - ms / 1000 - killed, 3), round(end - killed, 3))
            for end, name, ms, failed in samples
            if failed
        ]
        + [
            (f"{w.kind} {w.status}", round(w.started - killed, 3), round(w.ended - killed, 3))
            for w in failed_writes
        ],
        "user_requests": len(samples),
        "user_failures": sum(1 for s in samples if s[3]),
        "writes": len(writers.writes),
        "writes_2xx": len(written),
        "write_failures": len(failed_writes),
        "failures_spanning_the_kill": spanning,
        "p50_ms": median_of([s[2] for s in steady]) if steady else None,
        "writer_p95_ms": p95([(w.ended - w.started) * 1000 for w in writers.writes])
        if writers.writes
        else None,
    }
    report.add(
        Figure(
            "cluster_errors",
            errors,
            "0",
            errors == 0,
            note=(
                f"{len(failures)} failed of {len(samples) + len(writers.writes)} requests; "
                f"{in_flight} in flight on node1 when it was killed (HAProxy counted "
                f"{events['in_flight_on_node1']} there, {spanning} failures spanned the kill); "
                f"node1 answering {events['answering_after_s']} s after its restart, back in "
                f"HAProxy's pool after {events['back_in_pool_after_s']} s, "
                f"{events['node1_requests_at_the_end'] - events['node1_requests_before_the_end']}"
                " requests to it after that"
            ),
        ),
        Figure(
            "cluster_errors_in_flight",
            in_flight,
            "reported",
            None,
            note="failed requests in flight on the killed node, not counted in cluster_errors",
        ),
        Figure(
            "cluster_p95_ms",
            round(p95_ms, 1) if p95_ms is not None else None,
            "≤ 300 ms",
            p95_ms is not None and p95_ms <= 300,
            " ms",
            note=(
                f"{len(steady):,} requests of {USERS} users after the ramp-up's logins, p50 "
                f"{report.details['cluster_faults']['p50_ms'] or 0:.0f} ms; the writers' "
                f"p95 {report.details['cluster_faults']['writer_p95_ms'] or 0:.0f} ms "
                "(a protocol's PDF rendered)"
            ),
        ),
    )
    return writers.writes


def lost_writes(report: Report, writes: list[Write]) -> None:
    """Every 2xx's record in the database, and every protocol's PDF in the bucket, read
    from S3 with the storage (not through the app, which would render a missing one)."""
    from django.core.files.storage import default_storage

    from practice.models import Consult, Protocol

    step("every write answered 2xx: in the database, its PDF in the bucket")
    consults = [w.record for w in writes if w.kind == "consult" and w.record is not None]
    protocols = [w.record for w in writes if w.kind == "protocol" and w.record is not None]
    found_consults = set(Consult.objects.filter(pk__in=consults).values_list("pk", flat=True))
    found = {p.pk: p for p in Protocol.objects.filter(pk__in=protocols)}
    lost = [("consult", pk) for pk in consults if pk not in found_consults]
    for pk in protocols:
        protocol = found.get(pk)
        if protocol is None:
            lost.append(("protocol", pk))
            continue
        try:
            with default_storage.open(protocol.pdf.name) as file:
                content = file.read()
        except Exception as exc:  # any failure to read: a lost PDF
            lost.append(("pdf", f"{pk}: {type(exc).__name__}"))
            continue
        if hashlib.sha256(content).hexdigest() != protocol.pdf_sha256:
            lost.append(("pdf", f"{pk}: SHA-256 differs"))
    report.details["cluster_lost_writes"] = {
        "checked": len(consults) + len(protocols),
        "lost": lost,
    }
    report.add(
        Figure(
            "cluster_lost_writes",
            len(lost),
            "0",
            not lost,
            note=f"{len(consults)} consults and {len(protocols)} protocols (PDFs read from S3)",
        )
    )


def throttle_shared(report: Report, port: dict[str, int], token: str) -> None:
    step(f"one user's burst of {2 * BURST} requests at once over both nodes, rate {BURST}/minute")
    servers = nodes_of(2, port, DJANGO_API_RATE_BURST=f"{BURST}/minute")
    statuses: list[int | None] = []
    start = threading.Barrier(8)
    try:
        targets = [servers["node1"].port, servers["node2"].port] * BURST

        def send(share: list[int]) -> None:
            start.wait()
            for target in share:
                statuses.append(call(target, "GET", "/api/v1/nutrients/", token)[0])

        threads = [threading.Thread(target=send, args=(targets[n::8],)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stop_all(servers)
    allowed, refused = statuses.count(200), statuses.count(429)
    report.details["throttle_shared"] = {"allowed": allowed, "refused": refused}
    report.add(
        Figure(
            "throttle_shared",
            allowed == BURST and refused == BURST,
            "true",
            allowed == BURST and refused == BURST,
            note=f"{allowed} answered 200 and {refused} 429 of {len(statuses)} (limit {BURST})",
        )
    )


# The run --------------------------------------------------------------------------------------


def merge_results(report: Report, scale_name: str) -> Path:
    """Into `var/bench/results.json`, beside the figures of `make bench` and `bench-faults`."""
    path = OUT / "results.json"
    results = json.loads(path.read_text()) if path.exists() else {"figures": {}, "details": {}}
    for figure in report.figures:
        results["figures"][figure.name] = {
            "value": figure.value,
            "goal": figure.goal,
            "pass": figure.passed,
            "note": figure.note,
        }
    results.setdefault("details", {})["cluster"] = {
        "scale": scale_name,
        "scale_settings": asdict(SCALES[scale_name]),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cpu_count": os.cpu_count(),
        **report.details,
    }
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return path


def prepare(scale: Scale) -> Path:
    """The data of `make bench`, one issued protocol per practitioner, the workload file."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from benchmarks.run import PASSWORD
    from practice.models import Consult

    prepare_database()
    step(f"data: {scale.clients:,} clients × 10 consults for {scale.practitioners} practitioners")
    call_command(
        "generate_demo_data",
        clients=scale.clients,
        consults_per_client=10,
        practitioners=scale.practitioners,
        seed=1,
    )
    practitioners = list(User.objects.filter(username__startswith="demo-therapeut-"))
    protocols = {}
    for user in practitioners:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        consult = Consult.objects.filter(client__practitioner=user).order_by("pk").first()
        protocols[user.pk] = issue(consult, user)  # its PDF into the bucket
    return workload(practitioners, protocols, USERS)


def main() -> int:
    scale_name = os.environ.get("BENCH_SCALE", "full")
    if scale_name not in SCALES:
        print(f"BENCH_SCALE must be one of {', '.join(SCALES)}, not {scale_name!r}.")
        return 2
    scale = SCALES[scale_name]
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("The cluster benchmark runs on PostgreSQL: start it with `make bench-cluster`.")
        return 2
    for program in ("haproxy", "redis-server"):
        if shutil.which(program) is None:
            print(f"{program} is not installed: `make bench-cluster` installs it.")
            return 2
    OUT.mkdir(parents=True, exist_ok=True)
    workdir = OUT / "cluster"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir()
    started = time.monotonic()
    report = Report(scale=scale_name)
    report.details["load_average_at_the_start"] = [round(n, 2) for n in os.getloadavg()]
    port = ports()
    engines: list[subprocess.Popen] = []
    haproxy = None
    servers: dict[str, Server] = {}
    try:
        step(f"Redis (:{port['redis']}), moto's S3 server (:{port['s3']})")
        engines.append(
            start(
                [
                    "redis-server",
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(port["redis"]),
                    "--dir",
                    str(workdir),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                OUT / "cluster-redis.log",
            )
        )
        engines.append(
            start(
                [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port["s3"])],
                OUT / "cluster-s3.log",
            )
        )
        wait_for("Redis", lambda: redis_answers(port["redis"]))
        wait_for("moto", lambda: call(port["s3"], "GET", "/", "")[0] is not None)
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
                "REDIS_URL": f"redis://127.0.0.1:{port['redis']}/0",
                "DJANGO_MEDIA_S3_BUCKET": BUCKET,
                "DJANGO_MEDIA_S3_ENDPOINT_URL": f"http://127.0.0.1:{port['s3']}",
                "DJANGO_MEDIA_S3_ACCESS_KEY_ID": "bench",
                "DJANGO_MEDIA_S3_SECRET_ACCESS_KEY": "bench-secret",
                "DJANGO_MEDIA_S3_REGION": "us-east-1",
            }
        )
        import boto3

        boto3.client(
            "s3",
            endpoint_url=os.environ["DJANGO_MEDIA_S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench-secret",
        ).create_bucket(Bucket=BUCKET)
        django.setup()
        from django.db import connections

        workload_path = prepare(scale)
        token, clients, nutrients = writer_setup()
        connections.close_all()

        haproxy = HAProxy(workdir, port)
        servers = rps_ratio(report, haproxy, workload_path, scale, port)
        writers = Writers(haproxy.port, token, clients, nutrients)
        writes = fault_run(report, haproxy, servers, workload_path, scale, port, writers)
        stop_all(servers)
        lost_writes(report, writes)
        throttle_shared(report, port, token)
    finally:
        stop_all(servers)
        if haproxy:
            haproxy.stop()
        for process in engines:
            process.terminate()
            process.wait(timeout=30)
    report.details["seconds"] = round(time.monotonic() - started, 1)
    report.details["load_average_at_the_end"] = [round(n, 2) for n in os.getloadavg()]
    print_table(report)
    path = merge_results(report, scale_name)
    print(f"\nMerged into {path} in {report.details['seconds']:.0f} s.")
    return 0 if all(f.passed is not False for f in report.figures) else 1


if __name__ == "__main__":
    sys.exit(main())
