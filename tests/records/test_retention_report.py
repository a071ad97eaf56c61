"""manage.py retention_report: the records whose retention period has ended."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from practice.models import Client, Consult
from tests.factories import ConsultFactory

AS_OF = "2026-11-27"


def report(*args: str) -> str:
    out = StringIO()
    call_command("retention_report", *args, stdout=out)
    return out.getvalue()


def added_on(client: Client, day: datetime.date) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Client.objects.filter(pk=client.pk).update(created_at=moment)


@pytest.fixture
def clients(make_client, practitioner, colleague, colleagues_practice):
    """Four clients, added in 2003; two are due on 27 November 2026."""
    cast = {
        "last_seen_2004": make_client(practitioner, client_number="00001"),
        "last_seen_2010": make_client(practitioner, client_number="00002"),
        "never_seen": make_client(colleague, practice=colleagues_practice, client_number="00003"),
        "seen_again_2020": make_client(practitioner, client_number="00004"),
    }
    for client in cast.values():
        added_on(client, datetime.date(2003, 1, 10))
    ConsultFactory(client=cast["last_seen_2004"], date=datetime.date(2004, 5, 1))
    ConsultFactory(client=cast["last_seen_2010"], date=datetime.date(2010, 6, 1))
    ConsultFactory(client=cast["seen_again_2020"], date=datetime.date(2001, 1, 1))
    ConsultFactory(client=cast["seen_again_2020"], date=datetime.date(2020, 2, 3))
    return cast


def test_it_lists_the_clients_due_in_json(clients):
    body = json.loads(report("--as-of", AS_OF, "--format", "json"))

    assert body == {
        "as_of": AS_OF,
        "retention_years": 20,
        "due": [
            {
                "client_id": clients["never_seen"].pk,
                "client_number": "00003",
                "practitioner": "colleague",
                "last_consult": None,
                "due": "2023-01-10",
            },
            {
                "client_id": clients["last_seen_2004"].pk,
                "client_number": "00001",
                "practitioner": "practitioner",
                "last_consult": "2004-05-01",
                "due": "2024-05-01",
            },
        ],
    }


def test_it_lists_the_clients_due_as_a_table(clients):
    lines = report("--as-of", AS_OF).splitlines()

    assert "2 client record(s)" in lines[0]
    assert lines[1].split() == [
        "client",
        "id",
        "client",
        "number",
        "practitioner",
        "last",
        "consult",
        "due",
    ]
    assert lines[2].split() == [
        str(clients["never_seen"].pk),
        "00003",
        "colleague",
        "-",
        "2023-01-10",
    ]
    assert lines[3].split() == [
        str(clients["last_seen_2004"].pk),
        "00001",
        "practitioner",
        "2004-05-01",
        "2024-05-01",
    ]
    assert len(lines) == 4


def test_a_record_is_due_on_the_day_its_twenty_years_are_over(clients):
    def due_on(day: str) -> list[str]:
        body = json.loads(report("--as-of", day, "--format", "json"))
        return [row["client_number"] for row in body["due"]]

    assert due_on("2024-04-30") == ["00003"]
    assert due_on("2024-05-01") == ["00003", "00001"]


def test_a_last_consult_on_29_february_is_due_on_1_march_in_a_common_year(
    make_client, practitioner
):
    # Twenty years on from 29 February is a leap day again, except across 2100.
    client = make_client(practitioner, client_number="00005")
    ConsultFactory(client=client, date=datetime.date(2080, 2, 29))

    def due_on(day: str) -> list[dict]:
        return json.loads(report("--as-of", day, "--format", "json"))["due"]

    assert due_on("2100-02-28") == []
    assert [row["due"] for row in due_on("2100-03-01")] == ["2100-03-01"]


def test_it_deletes_nothing(clients):
    report("--as-of", AS_OF)

    assert Client.objects.count() == 4
    assert Consult.objects.count() == 4


def test_it_says_so_when_nothing_is_due(clients):
    assert report("--as-of", "2022-01-01") == (
        "No client record's retention period has ended on 2022-01-01.\n"
    )


def test_it_reports_on_today_by_default(make_client, practitioner):
    client = make_client(practitioner)
    ConsultFactory(client=client, date=timezone.localdate().replace(year=2000))

    assert [row["client_id"] for row in json.loads(report("--format", "json"))["due"]] == [
        client.pk
    ]


@pytest.mark.parametrize("as_of", ["27-11-2026", "2026-13-01", "tomorrow"])
def test_it_refuses_a_date_that_is_not_yyyy_mm_dd(db, as_of):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        report("--as-of", as_of)
