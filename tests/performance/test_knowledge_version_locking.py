"""Every statement that writes a table the interaction check reads also writes the knowledge
base's version (gutbrain migration 0009), so two transactions that edit the knowledge base
both want its row. On PostgreSQL the trigger takes it before the statement's own rows:
the second editor waits for the first instead of holding a row the first needs next.
Needs a database that serves several connections at once, so PostgreSQL only (SQLite
serialises writers by itself)."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from gutbrain.models import Reference
from tests.factories import ReferenceFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
    ),
]


def test_two_editors_of_the_same_rows_wait_for_one_another_instead_of_deadlocking():
    first, second = ReferenceFactory(number=1), ReferenceFactory(number=2)
    first_written = threading.Event()
    errors: list[BaseException] = []

    @contextmanager
    def reported() -> Iterator[None]:
        try:
            yield
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    def cite(reference: Reference, citation: str) -> None:
        Reference.objects.filter(pk=reference.pk).update(citation=citation)

    def a() -> None:
        with reported(), transaction.atomic():
            cite(first, "a")
            first_written.set()
            time.sleep(0.5)  # b is waiting by now: for the version, holding no reference
            cite(second, "a")

    def b() -> None:
        first_written.wait()
        with reported(), transaction.atomic():
            cite(second, "b")

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert dict(Reference.objects.values_list("number", "citation")) == {1: "a", 2: "b"}
