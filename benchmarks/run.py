"""`make bench`: every figure of issue #5, measured on PostgreSQL and gunicorn.

Run through `benchmarks/run.sh` (which starts a throwaway PostgreSQL as CI does) with
`BENCH_SCALE=small` (10,000 clients, about two minutes) or `full` (100,000 clients and
1,000,000 consults). Prints a table of the figures with their goals and writes
`var/bench/results.json`.

Every timing is a median (or a 95th percentile) over repeated runs, and every speed goal
is a ratio against a baseline measured in the same run, so that the figures compare across
machines. Figures measured in this process (query counts, PDF rendering) use the Django
test client and the app's own functions; the others go over loopback HTTP to gunicorn with
two workers, as in production.
"""

import http.client
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "var" / "bench"
PASSWORD = "bench-Wachtwoord-2024"  # the demo practitioners of a throwaway database
GUNICORN_WORKERS = 2
# The README's production recommendation: threads per worker, so that a request that
# renders a long protocol cannot hold up a login (see `login_under_load`).
GUNICORN_THREADS = 4
# Users logging in per second in the load test's ramp-up: a clinic's fifty therapists
# arriving within half a minute, a busy morning. A login's password check (Argon2) takes
# about a fifth of a second of CPU; two a second leave the two CPUs room to spare.
LOGIN_SPAWN_RATE = 2


@dataclass(frozen=True)
class Scale:
    clients: int
    consults_per_client: int
    practitioners: int
    repeats: int  # runs of each timed measurement
    rps_seconds: float  # one run of the requests-per-second measurement
    load_seconds: int
    pdf_repeats: int = 5
    load_users: int = 50
    count_rows: tuple[int, int] = (10, 10_000)


SCALES = {
    "small": Scale(
        clients=10_000,
        consults_per_client=10,
        practitioners=10,
        repeats=3,
        rps_seconds=4,
        load_seconds=30,
    ),
    "full": Scale(
        clients=100_000,
        consults_per_client=10,
        practitioners=10,
        repeats=5,
        rps_seconds=8,
        load_seconds=60,
        pdf_repeats=11,
    ),
}


@dataclass
class Figure:
    name: str
    value: float | int | dict | None
    goal: str
    passed: bool | None
    unit: str = ""
    note: str = ""


@dataclass
class Report:
    scale: str
    figures: list[Figure] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    def add(self, *figures: Figure) -> None:
        self.figures.extend(figures)
        for figure in figures:
            print(f"  {figure.name} = {_shown(figure.value)}{figure.unit}", flush=True)


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if value < 100 else f"{value:.0f}"
    return str(value)


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def median_of(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(function: Callable[[], object], repeats: int) -> list[float]:
    """Milliseconds of each of `repeats` calls."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


# The database --------------------------------------------------------------------------


def prepare_database() -> None:
    from django.core.management import call_command

    step("database: migrate and load the knowledge base")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_knowledge_base", verbosity=0)


def bench_practice(name: str):
    from practice.models import Practice

    return Practice.objects.get_or_create(name=name)[0]


def make_practitioner(username: str, practice, *, superuser: bool = False):
    from django.contrib.auth.models import Group, User

    from practice.access import PRACTITIONER
    from practice.models import PracticeMember

    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"first_name": "Bench", "last_name": username, "is_superuser": superuser},
    )
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=PRACTITIONER))
    PracticeMember.objects.get_or_create(user=user, defaults={"practice": practice})
    return user


def generate(user_id: int, practice_id: int, *, clients: int, consults_per_client: int):
    """Clients with consults for one practitioner, through the data generator's writer;
    returns the client ids."""
    from django.db import transaction
    from django.utils import timezone

    from practice.management.commands.generate_demo_data import (
        Generator,
        Knowledge,
        reserve_ids,
        write_with_copy,
    )
    from practice.models import Client, Consult

    generator = Generator(
        knowledge=Knowledge.load(),
        practitioners=[(user_id, practice_id)],
        consults_per_client=consults_per_client,
        seed=clients,
        today=timezone.localdate(),
    )
    with transaction.atomic():
        client_ids = reserve_ids(Client, clients)
        batch = generator.batch(client_ids, reserve_ids(Consult, clients * consults_per_client))
        write_with_copy(batch.tables())
    return client_ids


def issue(consult, user, *, include_physician_page: bool = True):
    """Issues the consult's protocol, acknowledging every `avoid` as a practitioner would."""
    from practice.checking import check_consult
    from practice.protocols import AcknowledgementInput, issue_protocol

    avoided = [r.nutrient for r in check_consult(consult).results if r.level == "avoid"]
    return issue_protocol(
        consult=consult,
        issued_by=user,
        acknowledgements=[
            AcknowledgementInput(nutrient=slug, reason="Besproken met de huisarts.")
            for slug in avoided
        ],
        include_physician_page=include_physician_page,
    )


def add_versions(protocol, count: int) -> None:
    """`count` more versions of an issued protocol, sharing its snapshot and PDF: rows for
    the pages that list versions."""
    from practice.models import Protocol

    latest = protocol.version
    Protocol.objects.bulk_create(
        [
            Protocol(
                consult_id=protocol.consult_id,
                version=latest + n,
                issued_by_id=protocol.issued_by_id,
                snapshot={**protocol.snapshot, "version": latest + n},
                worst_level=protocol.worst_level,
                pdf=protocol.pdf.name,
                pdf_sha256=protocol.pdf_sha256,
            )
            for n in range(1, count + 1)
        ],
        batch_size=2000,
    )


# Query counts at 10 and at 10,000 rows ---------------------------------------------------


def query_counts(report: Report, scale: Scale) -> None:
    from django.db import connection
    from django.test import Client as WebClient
    from django.test.utils import CaptureQueriesContext

    from practice.models import Client, Consult, Protocol

    step("query counts of the staff pages at 10 and at 10,000 rows")
    practice = bench_practice("Benchpraktijk query counts")
    counts: dict[str, dict[int, int]] = {}
    for rows in scale.count_rows:
        user = make_practitioner(f"bench-rows-{rows}", practice)
        # `rows` clients with one consult each, and one client with `rows` consults ...
        generate(user.pk, practice.pk, clients=rows - 1, consults_per_client=1)
        (client_id,) = generate(user.pk, practice.pk, clients=1, consults_per_client=rows)
        # ... one of whose consults has `rows` protocol versions.
        consult = Consult.objects.filter(client_id=client_id).order_by("-date", "-pk").first()
        add_versions(issue(consult, user), rows - 1)
        protocol = Protocol.objects.filter(consult=consult).order_by("-version").first()
        assert Client.objects.filter(practitioner=user).count() == rows

        web = WebClient(HTTP_HOST="localhost")
        web.force_login(user)
        pages = {
            "client_list": "/clients/",
            "client_detail": f"/clients/{client_id}/",
            "consult_page": f"/consults/{consult.pk}/",
            "protocol_page": f"/protocols/{protocol.pk}/",
        }
        for page, url in pages.items():
            assert web.get(url).status_code == 200, url  # warm: sessions, the table cache
            with CaptureQueriesContext(connection) as queries:
                assert web.get(url).status_code == 200, url
            counts.setdefault(page, {})[rows] = len(queries)
    few, many = scale.count_rows
    for page, by_rows in counts.items():
        report.add(
            Figure(
                f"queries_{page}",
                {str(rows): count for rows, count in by_rows.items()},
                f"equal at {few:,} and {many:,} rows",
                by_rows[few] == by_rows[many],
            )
        )


# The interaction check --------------------------------------------------------------------


def check_body(nutrients: int, codes: int) -> dict:
    from gutbrain.models import Medicine, Nutrient

    slugs = list(Nutrient.objects.published().values_list("slug", flat=True)[:nutrients])
    atc = list(Medicine.objects.order_by("atc_code").values_list("atc_code", flat=True)[:codes])
    assert len(slugs) == nutrients and len(atc) == codes, "the knowledge base is too small"
    return {"nutrients": slugs, "atc_codes": atc}


def check_queries(report: Report, user) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from gutbrain.models import Nutrient

    step("queries of one interaction check")
    api = APIClient(HTTP_HOST="localhost")
    api.force_authenticate(user)
    measured = {}
    for label, body in (("16x20", check_body(16, 20)), ("1x1", check_body(1, 1))):
        # An edit that leaves the knowledge base as it was, but gives it a new version.
        Nutrient.objects.filter(slug=body["nutrients"][0]).update(is_published=True)
        with CaptureQueriesContext(connection) as cold:
            assert api.post("/api/v1/interaction-check/", body, format="json").status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert api.post("/api/v1/interaction-check/", body, format="json").status_code == 200
        measured[label] = {"cached": len(warm), "after_an_edit": len(cold)}
    report.details["check_queries"] = measured
    report.add(
        Figure(
            "check_queries",
            measured["16x20"]["cached"],
            "≤ 4, the same for 1 × 1",
            measured["16x20"]["cached"] <= 4
            and measured["16x20"]["cached"] == measured["1x1"]["cached"],
            note=(
                f"16 nutrients × 20 ATC codes; {measured['16x20']['after_an_edit']} on the "
                "first check after an edit of the knowledge base"
            ),
        )
    )


# HTTP ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on loopback: `GUNICORN_WORKERS` workers of `threads` threads (gthread, as
    the README recommends for production, when more than one), with the throttles opened
    wide (a measurement sends more than a person would; they still run). `env` adds to the
    environment (the benchmark's settings by default), `log` takes gunicorn's output, and
    `ready(port)` tells when it answers (by default the login page). `port` and `workers`
    other than the defaults, and `own_group` to start it in a process group of its own,
    which `kill_group` ends as a crash of its machine would (`benchmarks/cluster.py`)."""

    def __init__(
        self,
        threads: int = 1,
        *,
        env: dict[str, str] | None = None,
        log: Path | None = None,
        ready: Callable[[int], bool] | None = None,
        port: int | None = None,
        workers: int = GUNICORN_WORKERS,
        own_group: bool = False,
    ):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ready = ready or (lambda port: request(port, "GET", "/accounts/login/")[0] == 200)
        env = {
            **os.environ,
            "DJANGO_API_RATE_BURST": "1000000/second",
            "DJANGO_API_RATE_SUSTAINED": "1000000/second",
            # The load test's fifty users log in from one address.
            "DJANGO_LOGIN_RATE": "1000000/second",
            **({"DJANGO_SETTINGS_MODULE": "benchmarks.settings"} if env is None else env),
        }
        self.log = log.open("w") if log else None
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "gutbrain.wsgi:application",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT if self.log else None,
            start_new_session=own_group,
        )
        if not self.wait_until_answering(60):
            self.stop()
            raise RuntimeError(f"gunicorn did not answer within a minute (log: {log})")

    def wait_until_answering(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if self.ready(self.port):
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def workers(self) -> list[int]:
        """The worker processes: the master's children."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids

    def kill_group(self) -> None:
        """SIGKILL to the master and its workers at once (a killed master's workers would
        go on serving): its process group, which `own_group` gave it."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        if self.log:
            self.log.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.log:
            self.log.close()


def request(port: int, method: str, path: str, body: bytes = b"", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def requests_per_second(port: int, path: str, body: bytes, headers: dict, seconds: float):
    """Requests per second with four clients at once (twice the workers), and errors."""
    done, errors = [0], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < deadline:
            status, _ = request(port, "POST", path, body, headers)
            with lock:
                if status == 200:
                    done[0] += 1
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(2 * GUNICORN_WORKERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started), errors[0]


def check_rps(report: Report, server: Server, user, scale: Scale) -> None:
    from knox.models import AuthToken

    step("requests per second: interaction check against a trivial DRF endpoint")
    token = AuthToken.objects.create(user=user)[1]
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    body = json.dumps(check_body(16, 20)).encode()
    for path in ("/bench/ping/", "/api/v1/interaction-check/"):  # warm both workers
        for _ in range(20):
            assert request(server.port, "POST", path, body, headers)[0] == 200, path
    runs: dict[str, list[float]] = {"ping": [], "check": []}
    errors = 0
    for _ in range(scale.repeats):
        for name, path in (("ping", "/bench/ping/"), ("check", "/api/v1/interaction-check/")):
            rps, failed = requests_per_second(server.port, path, body, headers, scale.rps_seconds)
            runs[name].append(rps)
            errors += failed
    ping, check = median_of(runs["ping"]), median_of(runs["check"])
    # Each repeat measures the two back to back: the median of those pairs' ratios, so that
    # a burst of load on the machine during one run sinks one pair, not the figure.
    pairs = [c / p for p, c in zip(runs["ping"], runs["check"], strict=True)]
    report.details["check_rps"] = {
        "ping_rps": runs["ping"],
        "check_rps": runs["check"],
        "ratios": [round(r, 3) for r in pairs],
    }
    ratio = median_of(pairs)
    report.add(
        Figure(
            "check_rps_ratio",
            round(ratio, 3),
            "≥ 0.8",
            ratio >= 0.8 and errors == 0,
            note=f"check {check:.0f} req/s, trivial endpoint {ping:.0f} req/s, {errors} errors",
        )
    )


# PDF -------------------------------------------------------------------------------------


def sixteen_line_consult(user):
    """A consult with a line of every published nutrient, for a client taking 20 medicines."""
    from django.utils import timezone

    from gutbrain.models import Medicine, Nutrient
    from practice.management.commands.generate_demo_data import Knowledge
    from practice.models import Client, ClientMedication, Consult, SupplementLine

    choices = {n.id: n for n in Knowledge.load().nutrients}
    client = Client.objects.create(
        practice=user.practice_member.practice,
        practitioner=user,
        client_number="PDF-16",
        first_name="Marieke",
        last_name="van der Linden",
        date_of_birth=timezone.localdate().replace(year=1980),
    )
    for medicine in Medicine.objects.order_by("atc_code")[:20]:
        ClientMedication.objects.create(
            client=client, atc_code=medicine.atc_code, name=medicine.name, medicine=medicine
        )
    consult = Consult.objects.create(client=client, practitioner=user)
    for order, nutrient in enumerate(Nutrient.objects.published()):
        choice = choices[nutrient.pk]
        SupplementLine.objects.create(
            consult=consult,
            nutrient=nutrient,
            form_id=choice.form_ids[-1],
            dose_amount=choice.dose_amount,
            dose_unit=choice.dose_unit,
            duration_weeks=8,
            instructions="Innemen met een glas water.",
            order=order,
        )
    assert consult.lines.count() == 16
    return consult


def pdf_figures(report: Report, user, scale: Scale):
    import io
    from zoneinfo import ZoneInfo

    import pypdf
    import weasyprint
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.utils import timezone
    from django.utils.translation import override

    from practice.pdf import STYLESHEET, render_protocol_html, render_protocol_pdf

    step(
        "rendering a 16-line protocol PDF without the physician's page, through the app and "
        "with WeasyPrint alone"
    )
    protocol = issue(sixteen_line_consult(user), user, include_physician_page=False)
    snapshot = protocol.snapshot
    with override("nl"), timezone.override(ZoneInfo(settings.TIME_ZONE)):
        html = render_protocol_html(snapshot, for_pdf=True)
    stylesheet = finders.find(STYLESHEET)

    def weasyprint_alone() -> bytes:
        # The very call the app makes, on the HTML the app made.
        fetcher = weasyprint.URLFetcher(allowed_protocols={"file", "data"})
        document = weasyprint.HTML(
            string=html, base_url=str(settings.BASE_DIR / "static"), url_fetcher=fetcher
        )
        return document.write_pdf(
            stylesheets=[weasyprint.CSS(filename=stylesheet, url_fetcher=fetcher)]
        )

    # fonts and caches, once
    page_count = len(pypdf.PdfReader(io.BytesIO(render_protocol_pdf(snapshot))).pages)
    weasyprint_alone()
    app, alone = [], []
    for n in range(scale.pdf_repeats):  # interleaved, taking turns at going first
        for first in (True, False) if n % 2 else (False, True):
            if first:
                app += timed(lambda: render_protocol_pdf(snapshot), 1)
            else:
                alone += timed(weasyprint_alone, 1)
    app_ms, alone_ms = median_of(app), median_of(alone)
    report.details["pdf_ms"] = {"app": app, "weasyprint_alone": alone}
    report.add(
        Figure(
            "pdf_p50_ms",
            round(app_ms, 1),
            "≤ 400 ms on this machine (16 lines, no physician's page)",
            app_ms <= 400,
            " ms",
            note=f"{page_count} pages",
        ),
        Figure(
            "pdf_vs_weasyprint",
            round(app_ms / alone_ms, 3),
            "≤ 1.3",
            app_ms / alone_ms <= 1.3,
            note=f"WeasyPrint alone {alone_ms:.0f} ms",
        ),
    )
    return protocol, app_ms


def login(server: Server, username: str):
    import requests

    session = requests.Session()
    session.get(f"{server.url}/accounts/login/")
    response = session.post(
        f"{server.url}/accounts/login/",
        {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
    )
    assert "/accounts/login/" not in response.url, f"{username} could not log in"
    return session


def reprint(report: Report, server: Server, user, protocol, render_ms: float) -> None:
    """The stored PDF through the whole app (middleware, access check, file) in this
    process, like the rendering it is compared with; over HTTP for the note."""
    from django.test import Client as WebClient

    step("serving an issued protocol's stored PDF")
    path = f"/protocols/{protocol.pk}/pdf/"
    web = WebClient(HTTP_HOST="localhost")
    web.force_login(user)

    def serve() -> None:
        response = web.get(path)
        assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"%PDF"

    session = login(server, user.username)

    def fetch() -> None:
        response = session.get(f"{server.url}{path}")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")

    timed(serve, 5)
    timed(fetch, 5)
    serve_ms = median_of(timed(serve, 41))
    http_ms = median_of(timed(fetch, 41))
    speedup = render_ms / serve_ms
    report.details["reprint_ms"] = {"in_process": serve_ms, "http": http_ms, "render": render_ms}
    report.add(
        Figure(
            "reprint_speedup",
            round(speedup, 1),
            "≥ 20",
            speedup >= 20,
            note=(
                f"stored PDF served in {serve_ms:.1f} ms ({http_ms:.1f} ms over HTTP, "
                f"{render_ms / http_ms:.0f}×), rendering {render_ms:.0f} ms"
            ),
        )
    )


# Logins while long protocols are issued -------------------------------------------------


def forty_line_consult(user, number: int):
    """A consult of 40 lines (the most a consult may have): every published nutrient,
    over and over, for a client taking 20 medicines."""
    from decimal import Decimal

    from django.utils import timezone

    from gutbrain.models import Medicine, Nutrient
    from practice.models import Client, ClientMedication, Consult, SupplementLine

    client = Client.objects.create(
        practice=user.practice_member.practice,
        practitioner=user,
        client_number=f"LOAD-{number}",
        first_name="Belasting",
        last_name=f"Test {number}",
        date_of_birth=timezone.localdate().replace(year=1975),
    )
    for medicine in Medicine.objects.order_by("atc_code")[:20]:
        ClientMedication.objects.create(
            client=client, atc_code=medicine.atc_code, name=medicine.name, medicine=medicine
        )
    consult = Consult.objects.create(client=client, practitioner=user)
    nutrients = list(Nutrient.objects.published())
    SupplementLine.objects.bulk_create(
        SupplementLine(
            consult=consult,
            nutrient=nutrients[order % len(nutrients)],
            dose_amount=Decimal(100 + order),
            dose_unit="mg",
            frequency="three_times_daily",
            timing="with_meals",
            duration_weeks=12,
            instructions="Innemen met een ruim glas water.",
            order=order,
        )
        for order in range(40)
    )
    return consult


def login_under_load(report: Report, user, scale: Scale) -> None:
    """The login's p95 (the page and the POST of the password, as a person logs in) while
    four clients keep issuing 40-line protocols, on gunicorn with threads as the README
    recommends: one slow request must not block the logins."""
    from knox.models import AuthToken

    from practice.checking import check_consult

    step(
        f"logins while four clients issue 40-line protocols "
        f"({GUNICORN_WORKERS} workers × {GUNICORN_THREADS} threads)"
    )
    consults = [forty_line_consult(user, n) for n in range(4)]
    token = AuthToken.objects.create(user=user)[1]
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    bodies = {
        consult.pk: json.dumps(
            {
                "acknowledgements": [
                    {"nutrient": r.nutrient, "reason": "Besproken met de huisarts."}
                    for r in check_consult(consult).results
                    if r.level == "avoid"
                ]
            }
        ).encode()
        for consult in consults
    }
    server = Server(threads=GUNICORN_THREADS)
    stop = threading.Event()
    issued, failed = [0], [0]
    lock = threading.Lock()

    def issuer(consult) -> None:
        path = f"/api/v1/consults/{consult.pk}/protocols/"
        while not stop.is_set():
            status, _ = request(server.port, "POST", path, bodies[consult.pk], headers)
            with lock:
                if status == 201:
                    issued[0] += 1
                else:
                    failed[0] += 1

    def one_login() -> None:
        login(server, user.username)

    try:
        one_login()  # both workers warm
        issuers = [threading.Thread(target=issuer, args=(c,)) for c in consults]
        for thread in issuers:
            thread.start()
        time.sleep(2)  # the issuers are rendering
        samples = []
        deadline = time.monotonic() + max(10.0, scale.rps_seconds * 2)
        while time.monotonic() < deadline or len(samples) < 20:
            samples += timed(one_login, 1)
        stop.set()
        for thread in issuers:
            thread.join()
    finally:
        stop.set()
        server.stop()
    login_ms = p95(samples)
    report.details["login_under_load_ms"] = samples
    report.add(
        Figure(
            "login_p95_under_load_ms",
            round(login_ms, 1),
            "≤ 1,000 ms",
            login_ms <= 1000 and failed[0] == 0,
            " ms",
            note=(
                f"{len(samples)} logins, median {median_of(samples):.0f} ms; "
                f"{issued[0]} protocols of 40 lines issued meanwhile, {failed[0]} failed; "
                f"gunicorn {GUNICORN_WORKERS} workers × {GUNICORN_THREADS} threads"
            ),
        )
    )


# Client search ---------------------------------------------------------------------------


def search_terms(clients, rng: random.Random) -> list[str]:
    """What staff type: name fragments, "van der", whole client numbers and fragments of
    them, dates of birth."""
    sample = rng.sample(list(clients), min(8, len(clients)))
    terms = ["van der", "de jong"]
    for client in sample[:4]:
        last = client.last_name.split()[-1].lower()
        terms.append(last[: max(3, len(last) - 2)])
    terms += [client.first_name for client in sample[4:6]]
    terms += [client.client_number for client in sample[:2]]
    terms += [client.client_number[-4:] for client in sample[2:3]]
    terms += [client.date_of_birth.strftime("%d-%m-%Y") for client in sample[6:8]]
    return terms


# Issue #16, measured on 2026-12-03 at full scale (EXPLAIN ANALYZE, the page's own queries,
# best of 7, a shared machine at load 5-8): a superuser's "van der" 157 -> 21 ms, "de jong"
# 187 -> 12 ms, a client number 84 -> 1 ms, "van" 387 -> 38 ms; a practitioner's "van"
# 112 -> 16 ms. Before: an exact COUNT(*) of every match, then a walk of the name index
# filtering up to 78,000 clients for the 25 of the page. After: the ids of the first 501
# matches (trigram and prefix bitmaps, a top-N sort), then 25 clients by id.

# What the session, the login and the role look-ups read: not the page's own queries.
_REQUEST_TABLES = ("django_session", "auth_user", "auth_group", "practice_practicemember")


def explain_page(web, path: str, params: dict | None = None) -> dict:
    """EXPLAIN ANALYZE of the page's own queries: their time in the database (summed) and
    what their plans do (scans, sorts, and the indexes they read), for the notes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert web.get(path, params).status_code == 200
    total, steps = 0.0, []

    def walk(node: dict) -> None:
        kind = node["Node Type"]
        if "Index Name" in node:
            step = node["Index Name"]
        elif kind == "Seq Scan":
            step = f"Seq Scan on {node['Relation Name']}"
        elif kind == "Sort":
            step = f"sort: {node.get('Sort Method', '?')}"
        else:
            step = None
        if step and step not in steps:
            steps.append(step)
        for child in node.get("Plans", []):
            walk(child)

    for query in queries.captured_queries:
        sql = query["sql"]
        if any(table in sql for table in _REQUEST_TABLES) or not sql.startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            [plan] = cursor.fetchone()[0]
        total += plan["Execution Time"]
        walk(plan["Plan"])
    return {"database_ms": round(total, 2), "plan": steps}


def client_search(report: Report, server: Server, users: dict, scale: Scale) -> None:
    """The search page, timed through the whole app in this process (middleware, view,
    queries, template); over HTTP to gunicorn for the note."""
    from django.test import Client as WebClient

    from practice.models import Client

    step("client search: name fragment, client number, date of birth")
    rng = random.Random(5)
    figures = {}
    for label, user in users.items():
        clients = Client.objects.all() if user.is_superuser else user.clients.all()
        visible = clients.count()
        terms = search_terms(clients.order_by("?")[:50], rng)
        web = WebClient(HTTP_HOST="localhost")
        web.force_login(user)
        session = login(server, user.username)
        samples, over_http, per_term = [], [], {}
        for term in terms:  # warm
            assert web.get("/clients/", {"q": term}).status_code == 200
            assert session.get(f"{server.url}/clients/", params={"q": term}).ok
        for _ in range(scale.repeats):
            for term in terms:
                started = time.perf_counter()
                assert web.get("/clients/", {"q": term}).status_code == 200
                elapsed = (time.perf_counter() - started) * 1000
                samples.append(elapsed)
                per_term.setdefault(term, []).append(elapsed)
                started = time.perf_counter()
                assert session.get(f"{server.url}/clients/", params={"q": term}).ok
                over_http.append((time.perf_counter() - started) * 1000)
        listing = timed(partial(web.get, "/clients/"), 3 * scale.repeats)  # page 1, no search
        plans = {term: explain_page(web, "/clients/", {"q": term}) for term in terms}
        slowest = max(plans, key=lambda term: plans[term]["database_ms"])
        figures[label] = (p95(samples), p95(over_http), visible, slowest, plans[slowest])
        report.details[f"client_list_{label}_p95_ms"] = p95(listing)
        report.details[f"client_search_{label}"] = {
            "clients_visible": visible,
            "p50_ms": median_of(samples),
            "p95_ms_over_http": p95(over_http),
            "median_ms_per_term": {term: median_of(ms) for term, ms in per_term.items()},
            "explain_analyze_per_term": plans,
        }
    for label, name, who in (
        ("practitioner", "client_search_p95_ms", "a practitioner's"),
        ("all", "client_search_all_p95_ms", "a superuser searching all"),
    ):
        in_app, over_http, visible, slowest, plan = figures[label]
        report.add(
            Figure(
                name,
                round(in_app, 1),
                "≤ 50 ms",
                in_app <= 50,
                " ms",
                note=(
                    f"{who} {visible:,} clients; {over_http:.0f} ms over HTTP; EXPLAIN ANALYZE "
                    f"of the slowest term, {slowest!r}: {plan['database_ms']:.1f} ms in the "
                    f"database ({', '.join(plan['plan'])})"
                ),
            )
        )
    report.add(
        Figure(
            "client_list_p95_ms",
            round(report.details["client_list_practitioner_p95_ms"], 1),
            "no goal in the issue",
            None,
            " ms",
            note="the first page of a practitioner's client list, no search",
        )
    )


# Load ------------------------------------------------------------------------------------


def workload(practitioners, protocols: dict, users: int) -> Path:
    """For each locust user: a login, search terms, clients and consults to start from,
    and consults of its own to edit."""
    from practice.models import Consult

    rng = random.Random(9)
    slots = []
    for n in range(users):
        user = practitioners[n % len(practitioners)]
        clients = list(user.clients.order_by("?")[:50])
        consults = list(
            Consult.objects.filter(client__practitioner=user)
            .order_by("pk")
            .values_list("pk", flat=True)[n * 20 : (n + 1) * 20]
        )
        slots.append(
            {
                "username": user.username,
                "protocol": protocols[user.pk].pk,
                "terms": search_terms(clients, rng),
                "clients": [client.pk for client in clients],
                "consults": consults,
                "own_consults": consults[:5],
            }
        )
    path = OUT / "workload.json"
    path.write_text(json.dumps({"password": PASSWORD, "users": slots}, indent=1))
    return path


def load(report: Report, server: Server, workload_path: Path, scale: Scale) -> None:
    """Two phases (benchmarks/locustfile.py): the ramp-up, in which users arrive at
    `LOGIN_SPAWN_RATE` a second and log in, each then waiting for the others; and the
    mixed workload of all of them, which starts when the last has logged in. `load_p95_ms`
    is taken over the workload's first `load_seconds`, `login_p95_ms` over the ramp-up's
    logins (the POST of the password, without the dashboard it leads to)."""
    spawn_rate = LOGIN_SPAWN_RATE
    # The locustfile ends the run after the workload's window; this only caps a ramp-up
    # that never completes (a login refused).
    ramp = 3 * scale.load_users / spawn_rate + 60
    step(
        f"load: {scale.load_users} users, mixed workload, {scale.load_seconds} s after the "
        "ramp-up (locust headless)"
    )
    samples_path = OUT / "locust-samples.json"
    started = time.time()
    with open(OUT / "locust.log", "w") as log:
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--users",
                str(scale.load_users),
                "--spawn-rate",
                str(spawn_rate),
                "--run-time",
                f"{ramp + scale.load_seconds:.0f}s",
                "--host",
                server.url,
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "BENCH_WORKLOAD": str(workload_path),
                "BENCH_SAMPLES": str(samples_path),
                "BENCH_USERS": str(scale.load_users),
                "BENCH_LOAD_SECONDS": str(scale.load_seconds),
                "PYTHONPATH": str(ROOT),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    samples = json.loads(samples_path.read_text())
    logins = [s for s in samples if s[1] == "/accounts/login/ (post)"]
    ramped = [s[0] for s in samples if s[1] == "ramp-up done"]
    samples = [s for s in samples if s[1] != "ramp-up done"]
    # Without the mark (a user never logged in) the window opens after the last login.
    opens = ramped[0] if ramped else max([started, *(s[0] for s in logins)])
    # A request is in the window when it was sent in it (locust records its end).
    window = [s for s in samples if opens < s[0] - s[2] / 1000 <= opens + scale.load_seconds]
    seconds = min(scale.load_seconds, max(s[0] for s in samples) - opens) if window else 0
    by_name: dict[str, list[float]] = {}
    for _, name, ms, _ in window:
        by_name.setdefault(name, []).append(ms)
    report.details["load"] = {
        "requests_in_window": len(window),
        "window_seconds": round(seconds, 1),
        "requests_per_second": round(len(window) / seconds, 1) if window else 0,
        "p50_ms": median_of([s[2] for s in window]) if window else None,
        "per_page": {
            name: {"requests": len(ms), "p50_ms": median_of(ms), "p95_ms": p95(ms)}
            for name, ms in sorted(by_name.items())
        },
        "login_p50_ms": median_of([s[2] for s in logins]) if logins else None,
        "login_p95_ms": p95([s[2] for s in logins]) if logins else None,
        "login_spawn_rate_per_second": spawn_rate,
        "ramp_up_complete": bool(ramped),
    }
    login_ms = report.details["load"]["login_p95_ms"]
    report.add(
        Figure(
            "login_p95_ms",
            None if login_ms is None else round(login_ms, 1),
            f"≤ 1,000 ms at {spawn_rate} logins a second",
            login_ms is not None and login_ms <= 1000 and len(logins) == scale.load_users,
            " ms",
            note=(
                f"the {len(logins)} logins of the load test's ramp-up, median "
                f"{report.details['load']['login_p50_ms'] or 0:.0f} ms; the POST of the "
                "password (Argon2), without the dashboard it leads to"
            ),
        )
    )
    if not window:
        report.add(Figure("load_p95_ms", None, "≤ 250 ms", False, note="no requests"))
        return
    p95_ms = p95([s[2] for s in window])
    errors = sum(1 for s in samples if s[3])
    report.add(
        Figure(
            "load_p95_ms",
            round(p95_ms, 1),
            "≤ 250 ms",
            p95_ms <= 250,
            " ms",
            note=(
                f"{len(window):,} requests in {seconds:.0f} s "
                f"({len(window) / seconds:.1f}/s) after every user had logged in, p50 "
                f"{report.details['load']['p50_ms']:.0f} ms"
            ),
        ),
        Figure("load_errors", errors, "0", errors == 0, note="whole run, logins included"),
    )


# The report ------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "load_average_at_the_end": [round(n, 2) for n in os.getloadavg()],
        "python": platform.python_version(),
        "postgresql": postgres,
        "platform": platform.platform(),
    }


def print_table(report: Report) -> None:
    rows = [("figure", "value", "goal", "result")]
    for figure in report.figures:
        result = {True: "pass", False: "FAIL", None: "-"}[figure.passed]
        rows.append((figure.name, f"{_shown(figure.value)}{figure.unit}", figure.goal, result))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print(f"\n== results ({report.scale})")
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * width for width in widths))
    for figure in report.figures:
        if figure.note:
            print(f"  {figure.name}: {figure.note}")


def main() -> int:
    scale_name = os.environ.get("BENCH_SCALE", "full")
    if scale_name not in SCALES:
        print(f"BENCH_SCALE must be one of {', '.join(SCALES)}, not {scale_name!r}.")
        return 2
    scale = SCALES[scale_name]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("The benchmark runs on PostgreSQL: start it with `make bench`.")
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    report = Report(scale=scale_name)
    # The machine may be shared: its load before the run says how far to trust the times.
    report.details["load_average_at_the_start"] = [round(n, 2) for n in os.getloadavg()]
    prepare_database()
    query_counts(report, scale)

    step(
        f"data: {scale.clients:,} clients × {scale.consults_per_client} consults "
        f"for {scale.practitioners} practitioners"
    )
    generated = time.monotonic()
    call_command(
        "generate_demo_data",
        clients=scale.clients,
        consults_per_client=scale.consults_per_client,
        practitioners=scale.practitioners,
        seed=1,
    )
    report.details["generate_seconds"] = round(time.monotonic() - generated, 1)

    from django.contrib.auth.models import User

    from practice.models import Consult

    practitioners = list(User.objects.filter(username__startswith="demo-therapeut-"))
    for user in practitioners:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    superuser = make_practitioner("bench-admin", bench_practice("Benchpraktijk"), superuser=True)
    protocols = {}
    for user in practitioners:
        consult = Consult.objects.filter(client__practitioner=user).order_by("pk").first()
        protocols[user.pk] = issue(consult, user)
    first = practitioners[0]

    check_queries(report, first)
    protocol, render_ms = pdf_figures(report, first, scale)
    server = Server()
    try:
        check_rps(report, server, first, scale)
        reprint(report, server, first, protocol, render_ms)
        client_search(report, server, {"practitioner": first, "all": superuser}, scale)
        load(report, server, workload(practitioners, protocols, scale.load_users), scale)
    finally:
        server.stop()
    login_under_load(report, first, scale)

    report.details["seconds"] = round(time.monotonic() - started, 1)
    report.details["machine"] = machine()
    print_table(report)
    results = {
        "scale": scale_name,
        "scale_settings": asdict(scale),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "figures": {
            f.name: {"value": f.value, "goal": f.goal, "pass": f.passed, "note": f.note}
            for f in report.figures
        },
        "details": report.details,
    }
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nWritten to {OUT / 'results.json'} in {report.details['seconds']:.0f} s.")
    return 0 if all(f.passed is not False for f in report.figures) else 1


if __name__ == "__main__":
    sys.exit(main())
