"""The live check is logged once per access, not once per keystroke: a check of a consult
by a user whose read of it was logged less than five minutes ago writes no entry
(`practice.accesslog.record_live_check`). The times are set on the entries as they are
written, never waited for."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from practice import accesslog
from practice.models import AccessLogEntry, Consult
from tests.practice.views.formdata import consult_data, line


def check_url(consult: Consult) -> str:
    return reverse("practice:consult-check", args=[consult.pk])


def logged_read(user, consult: Consult, *, ago: datetime.timedelta, **fields) -> None:
    """A read of `consult` by `user` in the log, `ago` before now, chained as the log
    chains every entry."""
    values = {
        "at": timezone.now() - ago,
        "user_id": user.pk,
        "username": user.get_username(),
        "action": "read",
        "outcome": "allowed",
        "channel": "web",
        "record_type": "consult",
        "record_id": str(consult.pk),
        "client_id": consult.client_id,
        "ip_address": "127.0.0.1",
        "user_agent": "",
        "path": f"/consults/{consult.pk}/",
        **fields,
    }
    accesslog.append(AccessLogEntry(**values))


def check(web, consult: Consult):
    response = web.post(check_url(consult), consult_data(action="", lines=[line("zinc")]))
    assert response.status_code == 200
    return response


@pytest.fixture
def kb_consult(knowledge_base, consult):
    return consult


def test_checks_right_after_opening_the_page_write_nothing_more(web, kb_consult):
    web.get(reverse("practice:consult-detail", args=[kb_consult.pk]))
    assert AccessLogEntry.objects.count() == 1
    for _keystroke in range(5):
        check(web, kb_consult)
    assert AccessLogEntry.objects.count() == 1


def test_a_check_4_minutes_59_after_a_logged_read_writes_nothing(web, practitioner, kb_consult):
    logged_read(practitioner, kb_consult, ago=datetime.timedelta(minutes=4, seconds=59))
    check(web, kb_consult)
    assert AccessLogEntry.objects.count() == 1


def test_a_check_5_minutes_01_after_a_logged_read_is_logged(web, practitioner, kb_consult):
    logged_read(practitioner, kb_consult, ago=datetime.timedelta(minutes=5, seconds=1))
    check(web, kb_consult)
    newest = AccessLogEntry.objects.order_by("-pk").first()
    assert AccessLogEntry.objects.count() == 2
    assert (newest.username, newest.action, newest.record_type, newest.record_id) == (
        "practitioner",
        "read",
        "consult",
        str(kb_consult.pk),
    )
    assert accesslog.verify_chain().first_break is None


def test_the_logged_check_starts_the_next_five_minutes(web, practitioner, kb_consult):
    logged_read(practitioner, kb_consult, ago=datetime.timedelta(minutes=7))
    check(web, kb_consult)
    check(web, kb_consult)
    assert AccessLogEntry.objects.count() == 2


@pytest.mark.parametrize(
    "other",
    [
        {"user_id": 999_999, "username": "someone-else"},
        {"record_id": "999999"},
        {"outcome": "refused"},
        {"action": "export"},
    ],
    ids=["another user", "another consult", "a refused attempt", "not a read"],
)
def test_only_the_same_users_read_of_the_same_consult_counts(web, practitioner, kb_consult, other):
    logged_read(practitioner, kb_consult, ago=datetime.timedelta(minutes=1), **other)
    check(web, kb_consult)
    assert AccessLogEntry.objects.count() == 2


def test_a_refused_check_is_always_logged(colleague_web, practitioner, kb_consult):
    logged_read(practitioner, kb_consult, ago=datetime.timedelta(minutes=1))
    response = colleague_web.post(check_url(kb_consult), consult_data(action=""))
    assert response.status_code == 404
    newest = AccessLogEntry.objects.order_by("-pk").first()
    assert (newest.username, newest.outcome) == ("colleague", "refused")


def test_an_unlogged_check_costs_one_query_instead_of_two(
    web, practitioner, kb_consult, django_assert_num_queries
):
    logged_read(practitioner, kb_consult, ago=datetime.timedelta(minutes=1))
    check(web, kb_consult)  # the interaction table is read once, then kept
    # Queries: session, user, the practitioner group, the consult with client and
    # practice, complaints, medicines, own supplements, lines, protocols, the user's read
    # of the consult in the last five minutes (found: nothing is written), the knowledge
    # base's version (the published nutrients, their forms, the indications and the
    # interaction table are kept in the process).
    with django_assert_num_queries(11):
        check(web, kb_consult)
    assert AccessLogEntry.objects.count() == 1


def test_the_apis_check_is_logged_every_time(practitioner_api, practitioner, member, kb_consult):
    """An integration's `GET …/check/` is an access of its own (see `record_live_check`)."""
    logged_read(practitioner, kb_consult, ago=datetime.timedelta(minutes=1))
    for _call in range(2):
        assert practitioner_api.get(f"/api/v1/consults/{kb_consult.pk}/check/").status_code == 200
    assert AccessLogEntry.objects.count() == 3
