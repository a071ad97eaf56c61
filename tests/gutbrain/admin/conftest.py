"""Admin clients for the cast. Pages are requested in English so that assertions on
messages keep holding once the Dutch translations exist."""

import pytest
from django.test import Client


@pytest.fixture
def curator_client(curator) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(curator)
    return client


@pytest.fixture
def practitioner_client(practitioner) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(practitioner)
    return client
