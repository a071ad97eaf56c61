"""The access helpers of `practice.access`, one per object type, for each role."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404

from practice.access import (
    client_contacts_for,
    clients_for,
    consults_for,
    get_client_for_user,
    get_protocol_for_user,
    protocols_for,
    roles_of,
)
from practice.models import Client, Protocol


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


def test_a_refused_attempt_reaches_the_hook_before_the_404(colleague, sanne, protocol):
    calls = []
    with pytest.raises(Http404):
        get_client_for_user(colleague, sanne.pk, refused=lambda *args: calls.append(args))
    with pytest.raises(Http404):
        get_protocol_for_user(colleague, "x", refused=lambda *args: calls.append(args))
    assert calls == [(Client, sanne.pk), (Protocol, "x")]


def test_an_allowed_access_does_not_reach_the_hook(owner, sanne):
    calls = []
    assert get_client_for_user(owner, sanne.pk, refused=calls.append) == sanne
    assert calls == []
