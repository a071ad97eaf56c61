"""Writers appending at the same time do not fork the chain: the loser of a race for the
newest entry retries on the winner's. Needs a database that serves several connections at
once, so PostgreSQL only (SQLite serialises writers by itself)."""

import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from practice import accesslog
from practice.models import AccessAction, AccessLogEntry
from tests.factories import ClientFactory, UserFactory

WRITERS = 4
ENTRIES_EACH = 20

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
    ),
]


def test_concurrent_writers_leave_one_unbroken_chain():
    user = UserFactory(username="writer")
    client = ClientFactory(practitioner=user)
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write() -> None:
        request = RequestFactory().get("/clients/1/")
        request.user = user
        try:
            start.wait()
            for _ in range(ENTRIES_EACH):
                accesslog.record(request, action=AccessAction.READ, obj=client)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AccessLogEntry.objects.count() == WRITERS * ENTRIES_EACH
    report = accesslog.verify_chain()
    assert (report.entries, report.first_break) == (WRITERS * ENTRIES_EACH, None)
