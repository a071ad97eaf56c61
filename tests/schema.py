"""The API's OpenAPI schema as drf-spectacular generates it (`SchemaGenerator`), built once
per test process and language: it takes about a second, and a dozen modules and tests read
it. Each call hands out a fresh copy, which the caller may change.

`served_schema` (tests/conftest.py) is the schema as the endpoint serves it."""

import functools
import json

from django.utils import translation
from drf_spectacular.generators import SchemaGenerator


@functools.cache
def _generated(language: str | None) -> str:
    return json.dumps(SchemaGenerator().get_schema(request=None, public=True))


def generated_schema() -> dict:
    """The public schema in the active language."""
    return json.loads(_generated(translation.get_language()))
