"""The mixed workload of `load_p95_ms`: therapists who log in, search, open a client,
open and edit a consult, run the check and print a protocol, with a few seconds between
clicks. `benchmarks/run.py` starts it headless and hands it the workload file (logins,
search terms and protocols of the demo practitioners) in BENCH_WORKLOAD; every request's
time is written to BENCH_SAMPLES at the end, so that the run can tell the logins of the
ramp-up from the steady workload."""

import itertools
import json
import os
import random
import time

from locust import HttpUser, between, constant, events, task

from benchmarks.html import form_data, linked_ids

with open(os.environ["BENCH_WORKLOAD"]) as file:
    WORKLOAD = json.load(file)
_slots = itertools.cycle(WORKLOAD["users"])
_samples: list[tuple[float, str, float, bool]] = []


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
        response = self.client.post(
            "/accounts/login/",
            {
                "username": self.me["username"],
                "password": WORKLOAD["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="/accounts/login/ (post)",
        )
        if "/accounts/login/" in response.url:
            response.failure("login refused")

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
