"""Who may see which practice records: one helper per object type.

A practitioner sees the clients they treat and everything hanging from them. A record the
user may not see is answered with 404, never 403, so its existence does not leak. The HTML
views and the API both go through these helpers. Each takes an optional base queryset (with
the `select_related`/`prefetch_related` a page needs) and narrows it to what the user may see.
"""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404

from practice.models import Client, Consult, Protocol, ProtocolTemplate

PRACTITIONER = "practitioner"


def is_practitioner(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=PRACTITIONER).exists()


def clients_for(user: User, queryset: QuerySet[Client] | None = None) -> QuerySet[Client]:
    queryset = Client.objects.all() if queryset is None else queryset
    if not is_practitioner(user):
        return queryset.none()
    return queryset if user.is_superuser else queryset.filter(practitioner=user)


def consults_for(user: User, queryset: QuerySet[Consult] | None = None) -> QuerySet[Consult]:
    queryset = Consult.objects.all() if queryset is None else queryset
    if not is_practitioner(user):
        return queryset.none()
    return queryset if user.is_superuser else queryset.filter(client__practitioner=user)


def protocols_for(user: User, queryset: QuerySet[Protocol] | None = None) -> QuerySet[Protocol]:
    queryset = Protocol.objects.all() if queryset is None else queryset
    if not is_practitioner(user):
        return queryset.none()
    return queryset if user.is_superuser else queryset.filter(consult__client__practitioner=user)


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


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_client_for_user(user: User, pk, queryset: QuerySet[Client] | None = None) -> Client:
    return _get(clients_for(user, queryset), pk)


def get_consult_for_user(user: User, pk, queryset: QuerySet[Consult] | None = None) -> Consult:
    return _get(consults_for(user, queryset), pk)


def get_protocol_for_user(user: User, pk, queryset: QuerySet[Protocol] | None = None) -> Protocol:
    return _get(protocols_for(user, queryset), pk)


def get_template_for_user(
    user: User, pk, queryset: QuerySet[ProtocolTemplate] | None = None
) -> ProtocolTemplate:
    return _get(templates_for(user, queryset), pk)
