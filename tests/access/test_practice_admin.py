"""The practice's models in the admin: narrowed by the access helpers, hidden from
curators, logged like the staff pages, and the access log read only."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.translation import gettext

from practice import accesslog
from practice.admin import ClientAdmin, PracticeMemberForm
from practice.models import AccessAction, AccessLogEntry, Client
from tests.factories import ClientFactory, PracticeFactory, PracticeMemberFactory, UserFactory


def logged(count: int = 1) -> list[tuple]:
    entries = AccessLogEntry.objects.order_by("-pk")[:count]
    return [
        (e.username, e.action, e.outcome, e.channel, e.record_type, e.record_id, e.client_id)
        for e in reversed(entries)
    ]


def change_url(obj) -> str:
    return reverse(f"admin:practice_{obj._meta.model_name}_change", args=[obj.pk])


def test_a_curator_sees_no_practice_model_in_the_admin(curator, web_as, sanne):
    response = web_as(curator).get(reverse("admin:index"))
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert "Nutrient" in models
    assert not models & {"Client", "Consult", "Protocol", "AccessLogEntry", "Practice"}


def test_a_practitioner_sees_the_client_records_but_not_the_practices(owner, web_as):
    response = web_as(owner).get(reverse("admin:index"))
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert {"Client", "Consult", "Protocol", "ProtocolTemplate", "AccessLogEntry"} <= models
    assert not models & {"Practice", "PracticeMember", "Nutrient", "User"}


def test_a_curator_given_the_permission_to_view_clients_still_sees_none(curator, web_as, sanne):
    """Hidden from curators by role, not only by their lack of permissions."""
    curator.user_permissions.add(Permission.objects.get(codename="view_client"))
    assert web_as(curator).get(reverse("admin:practice_client_changelist")).status_code == 403


def test_opening_a_client_in_the_admin_is_logged(owner, web_as, sanne):
    assert web_as(owner).get(change_url(sanne)).status_code == 200
    assert logged() == [
        ("practitioner", "read", "allowed", "admin", "client", str(sanne.pk), sanne.pk)
    ]


def test_a_colleague_finds_the_client_does_not_exist_and_is_logged(colleague, web_as, sanne):
    response = web_as(colleague).get(change_url(sanne))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert logged() == [
        ("colleague", "read", "refused", "admin", "client", str(sanne.pk), sanne.pk)
    ]


def test_a_practitioner_cannot_change_a_client_in_the_admin(owner, web_as, sanne):
    response = web_as(owner).post(change_url(sanne), {"first_name": "Gewijzigd"})
    assert response.status_code == 403
    sanne.refresh_from_db()
    assert sanne.first_name == "Sanne"


def test_a_refused_change_is_logged_as_refused(owner, web_as, sanne):
    """The 403 rolls back the view's transaction; the log of the refusal outlives it."""
    assert web_as(owner).post(change_url(sanne), {"first_name": "Gewijzigd"}).status_code == 403
    assert logged() == [
        ("practitioner", "update", "refused", "admin", "client", str(sanne.pk), sanne.pk)
    ]


def test_opening_the_delete_page_without_the_permission_is_logged_as_refused(owner, web_as, sanne):
    delete = reverse("admin:practice_client_delete", args=[sanne.pk])
    assert web_as(owner).get(delete).status_code == 403
    assert logged() == [
        ("practitioner", "read", "refused", "admin", "client", str(sanne.pk), sanne.pk)
    ]


def test_a_refused_deletion_is_logged_as_refused(owner, web_as, sanne):
    delete = reverse("admin:practice_client_delete", args=[sanne.pk])
    assert web_as(owner).post(delete, {"post": "yes"}).status_code == 403
    assert Client.objects.filter(pk=sanne.pk).exists()
    assert logged() == [
        ("practitioner", "delete", "refused", "admin", "client", str(sanne.pk), sanne.pk)
    ]


def test_a_colleague_posting_to_a_client_they_cannot_see_is_logged(colleague, web_as, sanne):
    assert web_as(colleague).post(change_url(sanne), {"first_name": "X"}).status_code == 403
    assert logged() == [
        ("colleague", "update", "refused", "admin", "client", str(sanne.pk), sanne.pk)
    ]


def test_a_superuser_changing_and_deleting_a_client_is_logged(superuser, web_as, practice):
    client = ClientFactory(practice=practice, practitioner=superuser, first_name="Eva")
    pk = client.pk
    browser = web_as(superuser)
    data = {
        "practice": practice.pk,
        "practitioner": superuser.pk,
        "client_number": client.client_number,
        "first_name": "Eva",
        "last_name": "Smit",
        "date_of_birth": "1990-01-01",
        "medications-TOTAL_FORMS": "0",
        "medications-INITIAL_FORMS": "0",
        "own_supplements-TOTAL_FORMS": "0",
        "own_supplements-INITIAL_FORMS": "0",
    }
    assert browser.post(change_url(client), data).status_code == 302
    delete = reverse("admin:practice_client_delete", args=[client.pk])
    assert browser.post(delete, {"post": "yes"}).status_code == 302
    assert not Client.objects.filter(pk=pk).exists()
    assert logged(2) == [
        ("admin", "update", "allowed", "admin", "client", str(pk), pk),
        ("admin", "delete", "allowed", "admin", "client", str(pk), pk),
    ]


def test_the_access_log_shows_a_practitioner_only_their_clients_entries(
    owner, colleague, web_as, request_by, sanne, pieter
):
    mine = accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    accesslog.record(request_by(colleague), action=AccessAction.READ, obj=pieter)
    response = web_as(owner).get(reverse("admin:practice_accesslogentry_changelist"))
    assert [entry.pk for entry in response.context["cl"].result_list] == [mine.pk]


def test_nobody_adds_changes_or_deletes_an_access_log_entry_in_the_admin(
    superuser, web_as, request_by, sanne
):
    entry = accesslog.record(request_by(superuser), action=AccessAction.READ, obj=sanne)
    browser = web_as(superuser)
    assert browser.get(reverse("admin:practice_accesslogentry_add")).status_code == 403
    change = browser.get(change_url(entry))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert browser.post(change_url(entry), {"username": "x"}).status_code == 403
    delete = reverse("admin:practice_accesslogentry_delete", args=[entry.pk])
    assert browser.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.username == "admin"


# Who an assistant assists ------------------------------------------------------------


def member_form(member, assists) -> PracticeMemberForm:
    return PracticeMemberForm(
        data={
            "user": member.user_id,
            "practice": member.practice_id,
            "agb_code": "",
            "assists": [user.pk for user in assists],
        },
        instance=member,
    )


def test_an_assistant_may_assist_practitioners_of_the_same_practice(assistant, colleague):
    form = member_form(assistant.practice_member, [colleague])
    assert form.is_valid(), form.errors
    form.save()
    assert set(assistant.practice_member.assists.all()) >= {colleague}


def test_an_assistant_may_not_assist_someone_of_another_practice(assistant):
    elsewhere = PracticeMemberFactory(
        user=UserFactory(username="elders"), practice=PracticeFactory(name="Elders")
    )
    form = member_form(assistant.practice_member, [elsewhere.user])
    assert not form.is_valid()
    message = gettext("%(user)s is not a member of this practice.") % {"user": elsewhere.user}
    assert form.errors["assists"] == [message]


def test_an_assistant_may_only_assist_practitioners(assistant, other_assistant):
    form = member_form(assistant.practice_member, [other_assistant])
    assert not form.is_valid()
    message = gettext("%(user)s is not a practitioner.") % {"user": other_assistant}
    assert form.errors["assists"] == [message]


def test_nobody_assists_themselves(owner):
    form = member_form(owner.practice_member, [owner])
    assert not form.is_valid()
    message = gettext("%(user)s cannot assist themselves.") % {"user": owner}
    assert form.errors["assists"] == [message]


def test_an_assists_link_across_practices_grants_nothing(owner, sanne, web_as, make_assistant):
    """Should one be stored anyway (not through the form), the helpers ignore it."""
    outsider_practice = PracticeFactory(name="Elders")
    stray = make_assistant("stray-assistant", outsider_practice, owner)
    assert web_as(stray).get(reverse("practice:client-detail", args=[sanne.pk])).status_code == 404


@pytest.mark.parametrize("role", ["assistant", "curator"])
def test_the_admin_shows_no_client_to_users_without_a_practitioners_role(role, request, rf, sanne):
    admin_request = rf.get("/admin/practice/client/")
    admin_request.user = request.getfixturevalue(role)
    model_admin = ClientAdmin(Client, admin.site)
    assert list(model_admin.get_queryset(admin_request)) == []
    assert not model_admin.has_module_permission(admin_request)
