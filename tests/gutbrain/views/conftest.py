"""A logged-in client for the knowledge base's pages.

Every page costs two queries before the view runs: the session and the user."""

import pytest
from django.test import Client


@pytest.fixture
def staff_client(client: Client, practitioner) -> Client:
    client.force_login(practitioner)
    return client
