"""End to end over real HTTP: obtain a token, then use it."""

import json
import urllib.request

import pytest

from gutbrain import models as kb
from tests.conftest import restore_after_flush
from tests.factories import PASSWORD, InteractionFactory, NutrientFactory, UserFactory


def _call(url: str, body: dict | None = None, token: str | None = None) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            **({"Authorization": f"Token {token}"} if token else {}),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return json.load(response)


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_rows(django_db_setup, django_db_blocker):
    """Puts back what migrations wrote (the staff groups), and the knowledge base, once
    this module is done.

    `live_server` needs a transactional test, which empties every table when it ends;
    pytest-django runs such tests late, but not after tests that reach the database only
    through `request.getfixturevalue()`, and those expect the groups to exist.
    """
    yield
    with django_db_blocker.unblock():
        restore_after_flush()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_client_gets_a_token_and_checks_interactions_with_it(live_server):
    UserFactory(username="integrator")
    InteractionFactory(
        nutrient=NutrientFactory(slug="magnesium"),
        target=kb.Interaction.Target.ANY_MEDICINE,
        medicine_class=None,
        level=kb.Level.SEPARATE_INTAKE,
    )
    api = f"{live_server.url}/api/v1"

    token = _call(f"{api}/auth/token/", {"username": "integrator", "password": PASSWORD})["token"]
    check = _call(
        f"{api}/interaction-check/",
        {"nutrients": ["magnesium"], "atc_codes": ["N05BA04"]},
        token=token,
    )
    nutrients = _call(f"{api}/nutrients/", token=token)

    assert check["worst_level"] == "separate_intake"
    assert [n["slug"] for n in nutrients["results"]] == ["magnesium"]
