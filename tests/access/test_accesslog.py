"""Writing the access log (`practice.accesslog.record` and `refusal`) and its hash chain."""

import datetime
import hashlib
import hmac
import json

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings

from practice import accesslog
from practice.models import (
    AccessAction,
    AccessChannel,
    AccessLogEntry,
    AccessOutcome,
    AccessRecordType,
    Client,
    Consult,
)


def test_an_entry_copies_who_when_what_and_from_where(request_by, owner, sanne):
    request = request_by(
        owner, "/clients/7/", REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Firefox/140"
    )
    entry = accesslog.record(request, action=AccessAction.READ, obj=sanne)
    entry.refresh_from_db()
    assert (entry.user_id, entry.username) == (owner.pk, "practitioner")
    assert (entry.action, entry.outcome) == ("read", "allowed")
    assert (entry.record_type, entry.record_id, entry.client_id) == (
        "client",
        str(sanne.pk),
        sanne.pk,
    )
    assert (entry.ip_address, entry.user_agent, entry.path) == (
        "192.0.2.10",
        "Firefox/140",
        "/clients/7/",
    )
    assert entry.channel == AccessChannel.WEB
    assert abs(entry.at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=1)


def test_the_username_is_kept_as_it_was_when_the_account_changes(request_by, owner, sanne):
    entry = accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    owner.username = "anna.devries"
    owner.save()
    entry.refresh_from_db()
    assert entry.username == "practitioner"
    assert entry.user_id == owner.pk


def test_a_consult_and_a_protocol_are_logged_with_their_client(request_by, owner, protocol):
    consult_entry = accesslog.record(
        request_by(owner), action=AccessAction.UPDATE, obj=protocol.consult
    )
    pdf_entry = accesslog.record(
        request_by(owner),
        action=AccessAction.PRINT,
        obj=protocol,
        record_type=AccessRecordType.PROTOCOL_PDF,
    )
    client_id = protocol.consult.client_id
    assert (consult_entry.record_type, consult_entry.client_id) == ("consult", client_id)
    assert (pdf_entry.record_type, pdf_entry.record_id, pdf_entry.client_id) == (
        "protocol_pdf",
        str(protocol.pk),
        client_id,
    )


def test_an_address_that_is_not_an_ip_address_is_left_out(request_by, owner, sanne):
    request = request_by(owner, REMOTE_ADDR="unix:/run/gunicorn.sock")
    assert accesslog.record(request, action=AccessAction.READ, obj=sanne).ip_address is None


def test_an_ipv6_address_is_kept_in_its_canonical_form(request_by, owner, sanne):
    request = request_by(owner, REMOTE_ADDR="2001:DB8:0:0:0:0:0:1")
    entry = accesslog.record(request, action=AccessAction.READ, obj=sanne)
    entry.refresh_from_db()
    assert entry.ip_address == "2001:db8::1"
    assert accesslog.verify_chain().first_break is None


def test_a_refused_attempt_on_an_existing_record_names_its_client(request_by, colleague, sanne):
    accesslog.record_refusal(request_by(colleague), Client, sanne.pk, AccessAction.READ)
    entry = AccessLogEntry.objects.get()
    assert (entry.outcome, entry.client_id, entry.record_id) == (
        AccessOutcome.REFUSED,
        sanne.pk,
        str(sanne.pk),
    )
    assert entry.username == "colleague"


def test_an_attempt_on_a_record_that_does_not_exist_is_logged_as_not_found(request_by, owner, db):
    accesslog.record_refusal(request_by(owner), Consult, 999, AccessAction.UPDATE)
    entry = AccessLogEntry.objects.get()
    assert (entry.outcome, entry.action, entry.record_type) == ("not_found", "update", "consult")
    assert (entry.record_id, entry.client_id) == ("999", None)


def test_an_attempt_with_a_key_that_is_no_number_is_logged_without_a_lookup(
    request_by, owner, db, django_assert_num_queries
):
    # Queries: the access log's newest hash, the new entry.
    with django_assert_num_queries(2):
        accesslog.record_refusal(request_by(owner), Client, "abc", AccessAction.READ)
    assert AccessLogEntry.objects.get().record_id == "abc"


def test_logging_costs_two_queries(request_by, owner, sanne, django_assert_num_queries):
    accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    # Queries: the access log's newest hash, the new entry.
    with django_assert_num_queries(2):
        accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)


def test_inside_a_transaction_an_entry_costs_the_same_two_queries(
    request_by, owner, sanne, django_assert_num_queries
):
    # Queries: the newest hash, the new entry; no savepoint (a lost race is no error).
    with transaction.atomic(), django_assert_num_queries(2):
        accesslog.record(request_by(owner), action=AccessAction.ERASE, obj=sanne)


def test_an_entry_whose_number_was_taken_is_not_inserted_and_the_transaction_goes_on(
    request_by, owner, sanne
):
    with transaction.atomic():
        first = accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
        late = AccessLogEntry(
            **{name: getattr(first, name) for name in accesslog.CANONICAL_FIELDS},
            seq=first.seq,  # what a writer that lost the race computed
            previous_hash=accesslog.GENESIS_HASH,
            hash="f" * 64,
            hash_scheme=first.hash_scheme,
        )
        assert accesslog._insert_unless_taken(late) is False
        assert late.pk is None
        # The transaction is not aborted: the next append follows the first entry.
        second = accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    assert (second.seq, second.previous_hash) == (2, first.hash)
    assert accesslog.verify_chain().first_break is None


def test_each_entry_follows_the_hash_of_the_one_before(request_by, owner, sanne):
    first, second, third = (
        accesslog.record(request_by(owner), action=action, obj=sanne)
        for action in (AccessAction.READ, AccessAction.UPDATE, AccessAction.EXPORT)
    )
    assert first.previous_hash == accesslog.GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash


def test_each_entry_is_numbered_one_on_from_the_one_before(request_by, owner, sanne):
    entries = [
        accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne) for _ in range(3)
    ]
    assert [entry.seq for entry in entries] == [1, 2, 3]
    assert list(AccessLogEntry.objects.order_by("pk").values_list("seq", flat=True)) == [1, 2, 3]


def test_an_entry_rolled_back_leaves_no_gap_in_the_numbers(request_by, owner, sanne):
    accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    with pytest.raises(RuntimeError), transaction.atomic():
        accesslog.record(request_by(owner), action=AccessAction.UPDATE, obj=sanne)
        raise RuntimeError("the change failed")
    entry = accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    assert entry.seq == 2
    assert accesslog.verify_chain().first_break is None


def test_the_database_refuses_a_second_entry_with_the_same_number(request_by, owner, sanne):
    first = accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    twin = AccessLogEntry(
        seq=first.seq,
        action="read",
        outcome="allowed",
        channel="web",
        record_type="client",
        previous_hash="a" * 64,
        hash="b" * 64,
        hash_scheme="hmac-sha256",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_the_database_refuses_a_number_below_one(db):
    zero = AccessLogEntry(
        seq=0,
        action="read",
        outcome="allowed",
        channel="web",
        record_type="client",
        previous_hash="a" * 64,
        hash="b" * 64,
        hash_scheme="hmac-sha256",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        zero.save()


@override_settings(ACCESS_LOG_KEY="k" * 40)
def test_the_hash_is_the_hmac_of_the_previous_hash_and_the_content_with_its_number(
    request_by, owner, sanne
):
    entry = accesslog.record(
        request_by(owner, REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Firefox/140"),
        action=AccessAction.READ,
        obj=sanne,
    )
    entry.refresh_from_db()
    content = {
        "action": "read",
        "at": entry.at.astimezone(datetime.UTC).isoformat(),
        "channel": "web",
        "client_id": sanne.pk,
        "ip_address": "192.0.2.10",
        "outcome": "allowed",
        "path": "/clients/1/",
        "record_id": str(sanne.pk),
        "record_type": "client",
        "user_agent": "Firefox/140",
        "user_id": owner.pk,
        "username": "practitioner",
        "seq": 1,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    message = (accesslog.GENESIS_HASH + canonical).encode()
    assert entry.hash_scheme == "hmac-sha256"
    assert entry.hash == hmac.new(b"k" * 40, message, hashlib.sha256).hexdigest()
    assert entry.hash != hashlib.sha256(message).hexdigest()


def test_a_second_entry_after_the_same_one_is_refused_so_the_chain_cannot_fork(
    request_by, owner, sanne
):
    first = accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    fork = AccessLogEntry(
        seq=2,
        action="read",
        outcome="allowed",
        channel="web",
        record_type="client",
        previous_hash=first.previous_hash,
        hash="f" * 64,
        hash_scheme="hmac-sha256",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()


def test_verifying_an_intact_chain_reports_its_length_and_newest_hash(request_by, owner, sanne):
    entries = [
        accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne) for _ in range(3)
    ]
    report = accesslog.verify_chain()
    assert (report.entries, report.newest_seq, report.newest_hash, report.first_break) == (
        3,
        3,
        entries[-1].hash,
        None,
    )


def test_an_empty_log_is_intact(db):
    report = accesslog.verify_chain()
    assert (report.entries, report.newest_hash, report.first_break) == (
        0,
        accesslog.GENESIS_HASH,
        None,
    )


def test_a_fault_other_than_a_lost_race_is_raised_at_once_not_retried(
    request_by, owner, sanne, django_assert_max_num_queries
):
    # NOT NULL refused: no other writer took the number, so trying again cannot help.
    # Queries: the write transaction's savepoint and its rollback (3), the newest entry, the
    # insert; no second try.
    with django_assert_max_num_queries(5), pytest.raises(IntegrityError), transaction.atomic():
        accesslog.record(request_by(owner), action=None, obj=sanne)
