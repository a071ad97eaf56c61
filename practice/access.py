"""Who may see which practice records: one helper per object type.

The roles are the groups of migration `gutbrain/0002_groups`:

- a **practitioner** sees the clients they treat and everything hanging from them;
- an **assistant** sees the contact details of the clients of the practitioners they
  assist (`PracticeMember.assists`, same practice) and those clients' issued protocols,
  never their notes, medicines or consults;
- a **curator** edits the knowledge base and sees no client data at all;
- a **superuser** sees everything.

A record the user may not see is answered with 404, never 403, so its existence does not
leak; lists leave it out, and nothing changes it. The HTML views, the API and the admin all
go through these helpers. Each takes an optional base queryset (with the
`select_related`/`prefetch_related` a page needs) and narrows it to what the user may see.
The views reach one record through `get_client`, `get_client_contact`, `get_consult` and
`get_protocol`, which take the request and the action and write the access log for every
outcome themselves; a write logs in its own transaction with `logged_write`. No view
writes the access log itself.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from practice import accesslog
from practice.models import (
    AccessAction,
    Client,
    Consult,
    PracticeMember,
    Protocol,
    ProtocolTemplate,
)

PRACTITIONER = "practitioner"
ASSISTANT = "assistant"
CURATOR = "curator"
ROLES = (PRACTITIONER, ASSISTANT, CURATOR)


def roles_of(user: User) -> frozenset[str]:
    """The user's roles among `ROLES`, in one query kept on the user object (a request's
    user is loaded afresh for each request); none for anonymous users."""
    if not user.is_authenticated:
        return frozenset()
    roles = getattr(user, "_practice_roles", None)
    if roles is None:
        roles = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._practice_roles = roles
    return roles


def is_practitioner(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or PRACTITIONER in roles_of(user)


def _assisted(user: User, prefix: str) -> Q:
    """The clients (reached through `prefix`) of the practitioners `user` assists, in the
    assistant's own practice: an `assists` link across practices grants nothing."""
    assisted = PracticeMember.assists.through.objects.filter(practicemember__user=user)
    practice = PracticeMember.objects.filter(user=user).values("practice_id")
    return Q(
        **{
            f"{prefix}practitioner_id__in": assisted.values("user_id"),
            f"{prefix}practice_id__in": practice,
        }
    )


def clients_for(user: User, queryset: QuerySet[Client] | None = None) -> QuerySet[Client]:
    """The clients whose whole record the user may see and change."""
    queryset = Client.objects.all() if queryset is None else queryset
    if not is_practitioner(user):
        return queryset.none()
    return queryset if user.is_superuser else queryset.filter(practitioner=user)


def client_contacts_for(user: User, queryset: QuerySet[Client] | None = None) -> QuerySet[Client]:
    """The clients whose contact details the user may read: their own clients for a
    practitioner, the assisted practitioners' clients for an assistant."""
    queryset = Client.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.is_superuser:
        return queryset
    roles = roles_of(user)
    visible = Q()
    if PRACTITIONER in roles:
        visible |= Q(practitioner=user)
    if ASSISTANT in roles:
        visible |= _assisted(user, "")
    return queryset.filter(visible) if visible else queryset.none()


def may_see_whole_client(user: User, client: Client) -> bool:
    """Whether the user sees the client's whole record, not only the contact details."""
    if user.is_superuser:
        return True
    return client.practitioner_id == user.pk and is_practitioner(user)


def consults_for(user: User, queryset: QuerySet[Consult] | None = None) -> QuerySet[Consult]:
    queryset = Consult.objects.all() if queryset is None else queryset
    if not is_practitioner(user):
        return queryset.none()
    return queryset if user.is_superuser else queryset.filter(client__practitioner=user)


def protocols_for(user: User, queryset: QuerySet[Protocol] | None = None) -> QuerySet[Protocol]:
    """Issued protocols: a practitioner's own clients', and for an assistant those of the
    assisted practitioners' clients."""
    queryset = Protocol.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.is_superuser:
        return queryset
    roles = roles_of(user)
    visible = Q()
    if PRACTITIONER in roles:
        visible |= Q(consult__client__practitioner=user)
    if ASSISTANT in roles:
        visible |= _assisted(user, "consult__client__")
    return queryset.filter(visible) if visible else queryset.none()


def templates_for(
    user: User, queryset: QuerySet[ProtocolTemplate] | None = None
) -> QuerySet[ProtocolTemplate]:
    """The user's own templates and those shared with their practice; a practice admin
    sees all of the practice's templates, so as to share them."""
    queryset = ProtocolTemplate.objects.all() if queryset is None else queryset
    if not is_practitioner(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    member = getattr(user, "practice_member", None)
    if member is None:
        return queryset.filter(owner=user)
    if member.is_practice_admin:
        return queryset.filter(Q(owner=user) | Q(practice_id=member.practice_id))
    return queryset.filter(Q(owner=user) | Q(practice_id=member.practice_id, shared=True))


def is_practice_admin(user: User, practice_id: int) -> bool:
    """Whether the user administers the practice: shares its protocol templates."""
    if user.is_superuser:
        return True
    member = getattr(user, "practice_member", None)
    return bool(member and member.is_practice_admin and member.practice_id == practice_id)


def may_share_template(user: User, template: ProtocolTemplate) -> bool:
    return is_practice_admin(user, template.practice_id)


def may_delete_template(user: User, template: ProtocolTemplate) -> bool:
    return template.owner_id == user.pk or may_share_template(user, template)


def get_template_for_user(
    user: User, pk, queryset: QuerySet[ProtocolTemplate] | None = None
) -> ProtocolTemplate:
    """Templates hold no client data: looked up without the access log."""
    try:
        return templates_for(user, queryset).get(pk=pk)
    except (ProtocolTemplate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# A request's access to one client record, looked up and logged in one call -------------

READS = (AccessAction.READ, AccessAction.EXPORT, AccessAction.PRINT)


def get_client(
    request: HttpRequest,
    pk,
    queryset: QuerySet[Client] | None = None,
    *,
    action: str = AccessAction.READ,
) -> Client:
    """The client's whole record (`clients_for`), the access logged (`_access`)."""
    return _access(request, clients_for(request.user, queryset), pk, action)


def get_client_contact(
    request: HttpRequest, pk, queryset: QuerySet[Client] | None = None
) -> Client:
    """The client's contact details (`client_contacts_for`), the read logged."""
    return _access(request, client_contacts_for(request.user, queryset), pk, AccessAction.READ)


def get_consult(
    request: HttpRequest,
    pk,
    queryset: QuerySet[Consult] | None = None,
    *,
    action: str = AccessAction.READ,
    live_check: bool = False,
) -> Consult:
    """The consult (`consults_for`), the access logged (`_access`). `live_check`: the
    consult page's check as the form changes, logged as `accesslog.record_live_check`
    says (one read per access, not one per keystroke)."""
    return _access(request, consults_for(request.user, queryset), pk, action, live_check=live_check)


def get_protocol(
    request: HttpRequest,
    pk,
    queryset: QuerySet[Protocol] | None = None,
    *,
    action: str = AccessAction.READ,
    record_type: str | None = None,
) -> Protocol:
    """The issued protocol (`protocols_for`; select its consult), the access logged as
    `record_type` when given (its PDF)."""
    queryset = protocols_for(request.user, queryset)
    return _access(request, queryset, pk, action, record_type=record_type)


def _access(
    request: HttpRequest,
    queryset: QuerySet,
    pk,
    action: str,
    *,
    record_type: str | None = None,
    live_check: bool = False,
) -> Model:
    """The record `pk` of `queryset` (narrowed to what the user may see), or 404.

    Every outcome is in the access log once the request is done, so that no view can
    forget it: a record the user may not see is logged as refused (or not found) before
    the 404; a read (`READS`) is logged now, before anything of the record is shown, and
    fails the request if it cannot be; for a write the record is handed back unlogged, to
    be logged by `logged_write` in the write's own transaction, or, when the write does
    not happen (a form error, a conflict), as a read of the record once the view is done
    (`AccessLogMiddleware`)."""
    try:
        obj = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        accesslog.record_refusal(request, queryset.model, pk, action, record_type)
        raise Http404 from exc
    if live_check:
        accesslog.record_live_check(request, consult=obj)
    else:
        log_allowed(request, obj, action, record_type)
    return obj


def log_refusal(
    request: HttpRequest, model: type[Model], pk, action: str, record_type: str | None
) -> None:
    """For a look-up of its own (the admin's): log a refused attempt at the `model` record
    `pk` once the view is done, after any transaction the refusal rolls back."""
    _state(request).deferred.append(
        lambda: accesslog.record_refusal(request, model, pk, action, record_type)
    )


def log_allowed(request: HttpRequest, obj: Model, action: str, record_type: str | None) -> None:
    """For a look-up of its own (the admin's): log the allowed access to `obj` as `_access`
    does, a read now and a write by `logged_write` (or as a read when it does not happen)."""
    if action in READS:
        accesslog.record(request, action=action, obj=obj, record_type=record_type)
    else:
        _state(request).pending.append((obj, record_type))


class Written:
    """What a `logged_write` block wrote: `obj`, given or set by the block."""

    def __init__(self, obj: Model | None) -> None:
        self.obj = obj


@contextmanager
def logged_write(
    request: HttpRequest | None,
    action: str,
    obj: Model | None = None,
    *,
    record_type: str | None = None,
) -> Iterator[Written]:
    """The block's write and its access-log entry in one transaction: the log has the
    write if and only if it happened. `obj` is the record written (a deleted or erased
    one is logged by the key it had); a block that creates one sets `written.obj`.
    Without a `request` (a management command, the demo seed) nothing is logged."""
    written = Written(obj)
    identity = {}
    if obj is not None and action in (AccessAction.DELETE, AccessAction.ERASE):
        identity = {
            "record_type": record_type or accesslog.RECORD_TYPES[type(obj)],
            "record_id": obj.pk,
            "client_id": accesslog.client_id_of(obj),
        }
    with transaction.atomic():
        yield written
        if request is not None:
            if identity:
                accesslog.record(request, action=action, **identity)
            else:
                accesslog.record(request, action=action, obj=written.obj, record_type=record_type)
    if request is not None:
        _state(request).pending.clear()


class AccessState:
    """The access-log work a request leaves for its end (`AccessLogMiddleware`)."""

    def __init__(self) -> None:
        # Records looked up for a write that has not been logged yet: (record, type).
        self.pending: list[tuple[Model, str | None]] = []
        # Entries that must outlive a transaction the view rolls back (the admin's).
        self.deferred: list[Callable[[], object]] = []


def _state(request: HttpRequest) -> AccessState:
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    state = getattr(request, "access_state", None)
    if state is None:
        state = request.access_state = AccessState()
    return state


class AccessLogMiddleware:
    """Finishes each request's access log: the deferred entries, and a read for each
    record looked up for a write that did not happen (the form came back with errors,
    the API answered 400, 409 or 412): the record was reached, nothing of it changed.
    An entry that cannot be written fails the request, as a read's does."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        state = getattr(request, "access_state", None)
        if state is not None:
            for log in state.deferred:
                log()
            for obj, record_type in state.pending:
                accesslog.record(
                    request, action=AccessAction.READ, obj=obj, record_type=record_type
                )
            request.access_state = None
        return response
