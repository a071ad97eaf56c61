"""The shared cast of users and the loaded knowledge base.

- `curator`: edits the knowledge base in the admin (group `curator`, is_staff).
- `practitioner` and `colleague`: therapists (group `practitioner`).
- `outsider`: an authenticated user in no group.
- `admin_user`: pytest-django's superuser.
"""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import UserFactory, api_token


def _member(username: str, group: str | None, **extra) -> User:
    user = UserFactory(username=username, **extra)
    if group:
        # get_or_create: a transactional test (live_server) flushes the migration's groups.
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def curator(db) -> User:
    user = _member("curator", "curator", is_staff=True)
    group = Group.objects.get(name="curator")
    if not group.permissions.exists():  # restored after a transactional test's flush
        group.permissions.set(Permission.objects.filter(content_type__app_label="gutbrain"))
    return user


@pytest.fixture
def practitioner(db) -> User:
    return _member("practitioner", "practitioner", first_name="Anna", last_name="de Vries")


@pytest.fixture
def colleague(db) -> User:
    return _member("colleague", "practitioner", first_name="Bram", last_name="Jansen")


@pytest.fixture
def outsider(db) -> User:
    return _member("outsider", None)


@pytest.fixture
def knowledge_base(db) -> None:
    """The whole source document, as `make run` loads it."""
    call_command("loaddata", "knowledge_base", verbosity=0)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def practitioner_api(practitioner) -> APIClient:
    """The practitioner's integration, with a token as a real one sends it: each request
    looks up the token with its user, and the user's tokens (two queries, knox's), afresh,
    as in production."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(practitioner)}")
    return client
