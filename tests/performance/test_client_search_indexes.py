"""The client search's SQL is the SQL the indexes were built for.

An expression index serves only the very expression Django writes (`UPPER("col"::text)
LIKE ...`): if a Django upgrade or a change to the search wrote it differently, the search
would fall back to reading every client, and only a full-scale benchmark would tell. With
sequential scans priced out, PostgreSQL's plan names the indexes it can use. The small
table of a test cannot say whether it would choose them; `make bench` can.
"""

import pytest
from django.db import connection

from practice.forms import ClientSearchForm
from practice.models import Client

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes"),
    pytest.mark.django_db,
]


def plan(text: str) -> str:
    form = ClientSearchForm({"q": text})
    searched = form.filter(Client.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return searched.order_by(form.last_name_prefix_first(), "last_name").explain()


def test_a_short_word_is_looked_up_in_the_prefix_and_trigram_indexes():
    used = plan("de")
    for index in (
        "client_last_name_prefix",
        "client_first_name_prefix",
        "client_client_number_prefix",
        "client_last_name_trgm",
        "client_first_name_trgm",
    ):
        assert index in used, used


def test_a_longer_word_is_looked_up_in_the_trigram_indexes():
    used = plan("vries")
    for index in ("client_last_name_trgm", "client_first_name_trgm", "client_client_number_trgm"):
        assert index in used, used
