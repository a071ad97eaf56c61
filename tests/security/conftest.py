"""Clients for the security tests. Pages are asked for in English, so that assertions on
messages keep holding once the Dutch translations exist."""

import pytest
from django.test import Client


@pytest.fixture
def english() -> Client:
    return Client(headers={"accept-language": "en"})
