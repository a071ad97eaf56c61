"""The access helpers of `practice.access`, one per object type, for each role."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404

from practice import access
from practice.access import (
    client_contacts_for,
    clients_for,
    consults_for,
    get_client,
    get_protocol,
    protocols_for,
    roles_of,
)
from practice.models import AccessAction, AccessLogEntry, Client


def test_roles_are_read_in_one_query(owner, assistant, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert roles_of(assistant) == {"assistant"}
    assert roles_of(owner) == {"practitioner"}
    assert roles_of(AnonymousUser()) == frozenset()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", {"sanne"}),
        ("colleague", {"pieter"}),
        ("assistant", set()),
        ("other_assistant", set()),
        ("curator", set()),
        ("superuser", {"sanne", "pieter"}),
    ],
)
def test_whole_records_are_for_the_treating_practitioner(request, sanne, pieter, role, expected):
    clients = clients_for(request.getfixturevalue(role))
    assert {c.first_name.lower() for c in clients} == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", {"sanne"}),
        ("colleague", {"pieter"}),
        ("assistant", {"sanne"}),
        ("other_assistant", {"pieter"}),
        ("curator", set()),
        ("superuser", {"sanne", "pieter"}),
    ],
)
def test_contact_details_are_also_for_the_practitioners_assistants(
    request, sanne, pieter, role, expected
):
    clients = client_contacts_for(request.getfixturevalue(role))
    assert {c.first_name.lower() for c in clients} == expected


def test_a_practitioner_who_also_assists_sees_both_sets_of_contacts(
    owner, colleague, sanne, pieter
):
    owner.groups.add(Group.objects.get(name="assistant"))
    owner.practice_member.assists.add(colleague)
    assert set(client_contacts_for(owner)) == {sanne, pieter}
    assert set(clients_for(owner)) == {sanne}


def test_assistants_see_no_consults(assistant, consult):
    assert list(consults_for(assistant)) == []


def test_an_assistant_sees_the_assisted_practitioners_protocols_once(
    assistant, other_assistant, owner, practice, protocol, make_assistant
):
    make_assistant("second-assistant", practice, owner)  # two assistants: no duplicate rows
    assert list(protocols_for(assistant)) == [protocol]
    assert list(protocols_for(other_assistant)) == []


def test_a_refused_attempt_is_logged_before_the_404(request_by, colleague, sanne, protocol):
    with pytest.raises(Http404):
        get_client(request_by(colleague), sanne.pk)
    with pytest.raises(Http404):
        get_protocol(request_by(colleague), "x", action=AccessAction.PRINT)
    entries = AccessLogEntry.objects.order_by("seq")
    assert [(e.record_type, e.record_id, e.action, e.outcome) for e in entries] == [
        ("client", str(sanne.pk), "read", "refused"),
        ("protocol", "x", "print", "not_found"),
    ]


def test_an_allowed_read_is_logged_at_once(request_by, owner, sanne):
    assert get_client(request_by(owner), sanne.pk) == sanne
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.outcome, entry.client_id) == ("read", "allowed", sanne.pk)


def test_a_write_is_logged_by_logged_write_and_only_there(request_by, owner, sanne):
    request = request_by(owner)
    client = get_client(request, sanne.pk, action=AccessAction.UPDATE)
    assert not AccessLogEntry.objects.exists()  # nothing written yet
    with access.logged_write(request, AccessAction.UPDATE, client):
        Client.objects.filter(pk=client.pk).update(notes="changed")
    assert list(AccessLogEntry.objects.values_list("action", flat=True)) == ["update"]
    assert request.access_state.pending == []


def test_a_write_that_fails_leaves_no_entry_of_it(request_by, owner, sanne):
    request = request_by(owner)
    client = get_client(request, sanne.pk, action=AccessAction.UPDATE)
    with pytest.raises(ValueError), access.logged_write(request, AccessAction.UPDATE, client):
        Client.objects.filter(pk=client.pk).update(notes="changed")
        raise ValueError
    assert not AccessLogEntry.objects.exists()
    assert Client.objects.get(pk=sanne.pk).notes != "changed"
    # The record was reached: the middleware logs it as a read once the view is done.
    assert request.access_state.pending == [(client, None)]
