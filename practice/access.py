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
The `get_*_for_user` helpers take an optional `refused` hook, called with the model and the
asked-for key before the 404 is raised, so that refused attempts reach the access log
(`practice.accesslog.refusal`).
"""

from collections.abc import Callable

from django.contrib.auth.models import User
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from practice.models import Client, Consult, PracticeMember, Protocol, ProtocolTemplate

PRACTITIONER = "practitioner"
ASSISTANT = "assistant"
CURATOR = "curator"
ROLES = (PRACTITIONER, ASSISTANT, CURATOR)

RefusalHook = Callable[[type[Model], object], None]


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


def _get(queryset: QuerySet, pk, refused: RefusalHook | None):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        if refused is not None:
            refused(queryset.model, pk)
        raise Http404 from exc


def get_client_for_user(
    user: User,
    pk,
    queryset: QuerySet[Client] | None = None,
    *,
    refused: RefusalHook | None = None,
) -> Client:
    return _get(clients_for(user, queryset), pk, refused)


def get_client_contact_for_user(
    user: User,
    pk,
    queryset: QuerySet[Client] | None = None,
    *,
    refused: RefusalHook | None = None,
) -> Client:
    return _get(client_contacts_for(user, queryset), pk, refused)


def get_consult_for_user(
    user: User,
    pk,
    queryset: QuerySet[Consult] | None = None,
    *,
    refused: RefusalHook | None = None,
) -> Consult:
    return _get(consults_for(user, queryset), pk, refused)


def get_protocol_for_user(
    user: User,
    pk,
    queryset: QuerySet[Protocol] | None = None,
    *,
    refused: RefusalHook | None = None,
) -> Protocol:
    return _get(protocols_for(user, queryset), pk, refused)


def get_template_for_user(
    user: User, pk, queryset: QuerySet[ProtocolTemplate] | None = None
) -> ProtocolTemplate:
    return _get(templates_for(user, queryset), pk, None)
