"""Fuzzes what the schema-driven fuzzing leaves out (issue #11, finding 7): bodies that are
not the JSON the schema describes, and the admin's date filters.

- Every operation of the API that takes a body is sent JSON nested 100,000 deep, a body
  that is not UTF-8, and one that is not JSON, on a record that exists: a 400 that says
  why in `{"detail": "…"}`, before anything else is looked at. The token endpoint gets
  them anonymously; a CDS Hooks service gets them from a registered EHR with its signed
  token (without one it answers 401 before it reads the body).
- Every admin list with a date hierarchy is asked for years, months and days drawn from
  integers of any size and from text: the list or a redirect to it, never a 500.

Select with `pytest -m fuzz`.
"""

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from practice.models import Client as PracticeClient
from practice.models import Consult, Protocol
from tests.factories import ehr_token
from tests.schema import generated_schema

pytestmark = pytest.mark.fuzz

BODIES = {
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "not UTF-8": b'{"notes": "caf\xe9"}',
    "not JSON": b"{'notes': 'x'",
}
SCHEMA = generated_schema()


def operations_with_a_body() -> Iterator[tuple[str, str]]:
    for path, methods in SCHEMA["paths"].items():
        for method, operation in methods.items():
            if "requestBody" in operation:
                yield path, method


OPERATIONS = sorted(operations_with_a_body())


def test_the_schema_has_operations_with_a_body():
    assert ("/api/v1/auth/token/", "post") in OPERATIONS
    assert ("/api/v1/consults/", "post") in OPERATIONS


CDS_SERVICE = "gutbrain-order-sign"


@pytest.mark.parametrize("body", list(BODIES.values()), ids=list(BODIES))
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_a_body_that_is_not_the_json_asked_for_is_a_400_saying_why(
    practitioner_api,
    sanne: PracticeClient,
    sannes_consult: Consult,
    protocol: Protocol,
    path,
    method,
    body,
):
    client = APIClient() if path.endswith("/auth/token/") else practitioner_api
    ids = {"clients": sanne.pk, "consults": sannes_consult.pk, "protocols": protocol.pk}
    collection = path.removeprefix("/api/v1/").split("/")[0]
    url = path.replace("{id}", str(ids.get(collection, 0)))
    if path.startswith("/cds-services/"):
        url = path.replace("{id}", CDS_SERVICE)
        client = APIClient(headers={"Authorization": f"Bearer {ehr_token(CDS_SERVICE)}"})

    response = getattr(client, method)(url, body, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()) == {"detail"}


def date_hierarchies() -> list[tuple[str, str]]:
    return sorted(
        (f"/admin/{model._meta.app_label}/{model._meta.model_name}/", model_admin.date_hierarchy)
        for model, model_admin in admin.site._registry.items()
        if model_admin.date_hierarchy
    )


PARTS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=0, max_value=10_000).map(str),
    st.text(max_size=6),
)


@pytest.fixture
def superuser(admin_user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def test_the_admin_has_lists_with_a_date_hierarchy():
    lists = dict(date_hierarchies())
    assert lists["/admin/practice/consult/"] == "date"
    assert lists["/admin/practice/accesslogentry/"] == "at"


@given(
    which=st.sampled_from(date_hierarchies()),
    year=PARTS,
    month=st.none() | PARTS,
    day=st.none() | PARTS,
)
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_date_hierarchy_value_breaks_an_admin_list(superuser, which, year, month, day):
    url, field = which
    query = {f"{field}__year": year}
    if month is not None:
        query[f"{field}__month"] = month
    if day is not None:
        query[f"{field}__day"] = day

    response = superuser.get(f"{url}?{urlencode(query)}")

    assert response.status_code in (200, 302, 400), (url, query)
