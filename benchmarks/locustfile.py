"""The mixed workload of `load_p95_ms`: therapists who log in, search, open a client,
open and edit a consult, run the check and print a protocol, with a few seconds between
clicks. `benchmarks/run.py` starts it headless and hands it the workload file (logins,
search terms and protocols of the demo practitioners) in BENCH_WORKLOAD; every request's
time is written to BENCH_SAMPLES at the end.

Two phases: the ramp-up, in which every user logs in (and sees the dashboard) and then
waits, and the workload, which starts when the last of BENCH_USERS has logged in (a
`RAMP_UP_DONE` sample marks the moment). So the password checks of the logins, the
costliest requests there are, are measured apart (`login_p95_ms`) and never inside the
workload's window (`load_p95_ms`)."""

import itertools
import json
import os
import random
import time

import gevent
from gevent.event import Event
from locust import HttpUser, between, constant, events, task

from benchmarks.html import form_data, linked_ids

with open(os.environ["BENCH_WORKLOAD"]) as file:
    WORKLOAD = json.load(file)
_slots = itertools.cycle(WORKLOAD["users"])
_samples: list[tuple[float, str, float, bool]] = []
USERS = int(os.environ["BENCH_USERS"])
LOAD_SECONDS = float(os.environ["BENCH_LOAD_SECONDS"])
RAMP_UP_DONE = "ramp-up done"
LOGIN = "/accounts/login/ (post)"
_logged_in = [0]
_everyone_in = Event()


@events.request.add_listener
def _record(name, response_time, exception, **kwargs) -> None:
    _samples.append((time.time(), name, response_time, exception is not None))


@events.quitting.add_listener
def _write_samples(**kwargs) -> None:
    with open(os.environ["BENCH_SAMPLES"], "w") as file:
        json.dump(_samples, file)


class Therapist(HttpUser):
    # A click every four seconds on average: brisker than a therapist in a consult.
    # BENCH_WAIT=0: no pause at all, for a measurement of the most requests per second
    # (`benchmarks/cluster.py`).
    wait_time = constant(0) if os.environ.get("BENCH_WAIT") == "0" else between(2, 6)

    def on_start(self) -> None:
        # Each user edits consults of its own, so that no two users save the same consult
        # at once (the second would rightly be refused as a conflict).
        self.me = next(_slots)
        self.clients: list[int] = list(self.me["clients"])
        self.consults: list[int] = list(self.me["consults"])
        self.own_consults: list[int] = list(self.me["own_consults"])
        self.forms: dict[int, list[tuple[str, str]]] = {}
        self.client.get("/accounts/login/", name="/accounts/login/")
        # The login alone (the password check and the session), without the page it sends
        # the user to, which is timed as a page of its own.
        with self.client.post(
            "/accounts/login/",
            {
                "username": self.me["username"],
                "password": WORKLOAD["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name=LOGIN,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/accounts/login/" in response.headers["Location"]:
                response.failure("login refused")
        self.client.get("/", name="/ (dashboard, after the login)")
        _logged_in[0] += 1
        if _logged_in[0] == USERS:
            _samples.append((time.time(), RAMP_UP_DONE, 0.0, False))
            _everyone_in.set()
            if os.environ.get("BENCH_READY_FILE"):  # for a benchmark that acts on a timeline
                with open(os.environ["BENCH_READY_FILE"], "w") as file:
                    file.write(str(time.time()))
            # The run ends with the workload's window (and the requests still in flight).
            gevent.spawn_later(LOAD_SECONDS + 5, self.environment.runner.quit)
        _everyone_in.wait()
        # The first click as a steady workload would have it, not all at once.
        gevent.sleep(random.uniform(0, 6))

    @task(3)
    def search(self) -> None:
        term = random.choice(self.me["terms"])
        response = self.client.get("/clients/", params={"q": term}, name="/clients/?q=")
        self.clients.extend(linked_ids(response.text, "/clients/"))
        del self.clients[:-200]

    @task(3)
    def open_client(self) -> None:
        pk = random.choice(self.clients)
        response = self.client.get(f"/clients/{pk}/", name="/clients/[id]/")
        self.consults.extend(linked_ids(response.text, "/consults/"))
        del self.consults[:-200]

    @task(2)
    def open_consult(self) -> None:
        self.client.get(f"/consults/{random.choice(self.consults)}/", name="/consults/[id]/")

    def _open_consult(self, pk: int) -> list[tuple[str, str]]:
        page = self.client.get(f"/consults/{pk}/", name="/consults/[id]/")
        self.forms[pk] = form_data(page.text, "consult-form")
        return self.forms[pk]

    @task(1)
    def edit_consult(self) -> None:
        pk = random.choice(self.own_consults)
        data = [(k, v) for k, v in self._open_consult(pk) if k != "notes"]
        data += [
            ("notes", f"Vervolgconsult, bijgewerkt om {time.strftime('%H:%M:%S')}."),
            ("action", "save"),
        ]
        with self.client.post(
            f"/consults/{pk}/", data, name="/consults/[id]/ (save)", catch_response=True
        ) as response:
            if not response.history or response.history[0].status_code != 302:
                response.failure("the consult was not saved")

    @task(2)
    def check(self) -> None:
        """The live check of the consult being edited, as htmx sends it on a change."""
        pk = random.choice(self.own_consults)
        data = self.forms.get(pk) or self._open_consult(pk)
        self.client.post(
            f"/consults/{pk}/check/",
            data,
            headers={"HX-Request": "true"},
            name="/consults/[id]/check/",
        )

    @task(1)
    def print_protocol(self) -> None:
        with self.client.get(
            f"/protocols/{self.me['protocol']}/pdf/",
            name="/protocols/[id]/pdf/",
            catch_response=True,
        ) as response:
            if not response.content.startswith(b"%PDF"):
                response.failure("not a PDF")
