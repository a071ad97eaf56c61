"""A logged-in client for the knowledge base's pages.

Every page costs three queries besides the view's own: the session and the user before
the view runs, the user's roles for the menu (gutbrain/menu.py) while the page renders."""

import pytest
from django.test import Client


@pytest.fixture
def staff_client(client: Client, practitioner) -> Client:
    client.force_login(practitioner)
    return client
