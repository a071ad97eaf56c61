"""The practice's models in the admin, for superusers and (read only) practitioners.

Every list and page is narrowed by the helpers of `practice.access`, as in the staff pages
and the API: a practitioner with `is_staff` sees their own clients and what hangs from
them, a record they may not see is absent from lists and its pages answer as not existing.
Curators and assistants see no practice model at all. Opening, changing and deleting a
client, consult or protocol here is written to the access log, as are refused attempts.
The access log itself is read only.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gutbrain.admin_labels import TranslatedFieldNames, TranslatedInlineFieldNames
from practice import access
from practice.access import (
    PRACTITIONER,
    client_contacts_for,
    clients_for,
    consults_for,
    is_practitioner,
    protocols_for,
    templates_for,
)
from practice.models import (
    LINE_FIELDS,
    AccessAction,
    AccessLogEntry,
    AccessRecordType,
    Acknowledgement,
    Client,
    ClientMedication,
    ClientSupplement,
    Consult,
    Practice,
    PracticeMember,
    Protocol,
    ProtocolTemplate,
    SupplementLine,
    TemplateLine,
)


def _is_practitioner(request: HttpRequest) -> bool:
    """`is_practitioner`, asked once per request: every admin page asks each model admin."""
    if not hasattr(request, "_is_practitioner"):
        request._is_practitioner = is_practitioner(request.user)
    return request._is_practitioner


# A list's filter by practice names the practices of the records in the list, which
# `visible` has narrowed to what the user may see; Django's own would name every practice.
PRACTICE_FILTER = ("practice", admin.RelatedOnlyFieldListFilter)


class ScopedAdmin(TranslatedFieldNames, admin.ModelAdmin):
    """Narrows every queryset with `visible`, one of the access helpers; hidden from users
    who are neither superusers nor practitioners, whatever permissions they were given."""

    visible = staticmethod(clients_for)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.visible(request.user, super().get_queryset(request))

    # The permissions first: they are cached on the user, the role is one query.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) and _is_practitioner(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_view_permission(request, obj) and _is_practitioner(request)


class LoggedRecordAdmin(ScopedAdmin):
    """Writes every opening, change and deletion of a client record to the access log,
    and every attempt on a record the user may not see (or change), through the helpers
    of `practice.access`: a refusal once the view is done, after the transaction of the
    admin's change or delete view that the 403 rolls back."""

    record_type: str

    def _refused_action(self, request: HttpRequest) -> str:
        if request.method in ("GET", "HEAD"):
            return AccessAction.READ
        if request.resolver_match.url_name.endswith("_delete"):
            return AccessAction.DELETE
        return AccessAction.UPDATE

    def _permitted(self, request: HttpRequest, obj: Model) -> bool:
        """The check Django's change, history and delete views make after `get_object`,
        answering 403 when it fails: a delete page (shown or posted) needs the permission
        to delete, a change posted the permission to change, a page shown either."""
        if request.resolver_match.url_name.endswith("_delete"):
            return self.has_delete_permission(request, obj)
        if request.method in ("GET", "HEAD"):
            return self.has_view_or_change_permission(request, obj)
        return self.has_change_permission(request, obj)

    def get_object(self, request: HttpRequest, object_id: str, from_field=None) -> Model | None:
        obj = super().get_object(request, object_id, from_field)
        action = self._refused_action(request)
        if obj is None or not self._permitted(request, obj):
            access.log_refusal(request, self.model, object_id, action, self.record_type)
        else:
            access.log_allowed(request, obj, action, self.record_type)
        return obj

    def save_model(self, request: HttpRequest, obj: Model, form, change: bool) -> None:
        action = AccessAction.UPDATE if change else AccessAction.CREATE
        with access.logged_write(request, action, obj, record_type=self.record_type):
            super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        with access.logged_write(request, AccessAction.DELETE, obj, record_type=self.record_type):
            super().delete_model(request, obj)

    @transaction.atomic  # the changelist's bulk delete is not in a transaction of its own
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:  # each deletion with its entry in the access log
            self.delete_model(request, obj)


# Practices and their members: superusers only (no group has these permissions) --------


class PracticeMemberForm(forms.ModelForm):
    class Meta:
        model = PracticeMember
        fields = ["user", "practice", "agb_code", "is_practice_admin", "assists"]

    def clean(self) -> dict:
        cleaned = super().clean()
        # In the practice's inline the practice is the inline's parent, not a field.
        practice = cleaned.get("practice")
        practice_id = practice.pk if practice else self.instance.practice_id
        user = cleaned.get("user")
        assists = cleaned.get("assists") or User.objects.none()
        problems = []
        for assisted in assists.select_related("practice_member").prefetch_related("groups"):
            member = getattr(assisted, "practice_member", None)
            if assisted == user:
                problems.append(_("%(user)s cannot assist themselves.") % {"user": assisted})
            elif member is None or practice_id is None or member.practice_id != practice_id:
                problems.append(
                    _("%(user)s is not a member of this practice.") % {"user": assisted}
                )
            elif not (
                assisted.is_superuser
                or any(group.name == PRACTITIONER for group in assisted.groups.all())
            ):
                problems.append(_("%(user)s is not a practitioner.") % {"user": assisted})
        if problems:
            self.add_error("assists", problems)
        return cleaned


class PracticeMemberInline(TranslatedInlineFieldNames, admin.TabularInline):
    model = PracticeMember
    form = PracticeMemberForm
    fields = ["user", "agb_code", "is_practice_admin", "assists"]
    raw_id_fields = ["user"]
    filter_horizontal = ["assists"]
    extra = 0


@admin.register(Practice)
class PracticeModelAdmin(TranslatedFieldNames, admin.ModelAdmin):
    list_display = ["name", "agb_code", "phone", "email"]
    search_fields = ["name", "agb_code"]
    inlines = [PracticeMemberInline]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser


@admin.register(PracticeMember)
class PracticeMemberAdmin(TranslatedFieldNames, admin.ModelAdmin):
    form = PracticeMemberForm
    list_display = ["user", "practice", "is_practice_admin"]
    list_filter = [PRACTICE_FILTER, "is_practice_admin"]
    list_select_related = ["user", "practice"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]
    filter_horizontal = ["assists"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser


# Client records -----------------------------------------------------------------------


class ClientMedicationInline(TranslatedInlineFieldNames, admin.TabularInline):
    model = ClientMedication
    fields = ["atc_code", "name", "medicine"]
    raw_id_fields = ["medicine"]
    extra = 0


class ClientSupplementInline(TranslatedInlineFieldNames, admin.TabularInline):
    model = ClientSupplement
    fields = ["name", "nutrient", "dose"]
    extra = 0


@admin.register(Client)
class ClientAdmin(LoggedRecordAdmin):
    record_type = AccessRecordType.CLIENT
    list_display = ["client_number", "last_name", "first_name", "date_of_birth", "practitioner"]
    list_select_related = ["practitioner"]
    list_filter = [PRACTICE_FILTER]
    search_fields = ["client_number", "last_name", "first_name"]
    raw_id_fields = ["practitioner"]
    inlines = [ClientMedicationInline, ClientSupplementInline]


class SupplementLineInline(TranslatedInlineFieldNames, admin.TabularInline):
    model = SupplementLine
    fields = [
        "order",
        *LINE_FIELDS,
    ]
    extra = 0


@admin.register(Consult)
class ConsultAdmin(LoggedRecordAdmin):
    record_type = AccessRecordType.CONSULT
    visible = staticmethod(consults_for)
    list_display = ["date", "client", "practitioner"]
    list_select_related = ["client", "practitioner"]
    date_hierarchy = "date"
    search_fields = ["client__client_number", "client__last_name"]
    raw_id_fields = ["client", "practitioner"]
    filter_horizontal = ["complaints"]
    inlines = [SupplementLineInline]


class AcknowledgementInline(TranslatedInlineFieldNames, admin.TabularInline):
    model = Acknowledgement
    fields = ["nutrient", "reason", "acknowledged_by", "acknowledged_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Protocol)
class ProtocolAdmin(LoggedRecordAdmin):
    """Issued protocols never change: read only, for superusers too."""

    record_type = AccessRecordType.PROTOCOL
    visible = staticmethod(protocols_for)
    list_display = ["consult", "version", "issued_at", "issued_by", "worst_level"]
    list_select_related = ["consult__client", "issued_by"]
    search_fields = ["consult__client__client_number", "consult__client__last_name"]
    fields = [
        "consult",
        "version",
        "issued_at",
        "issued_by",
        "worst_level",
        "pdf_file",
        "pdf_sha256",
        "snapshot",
    ]
    readonly_fields = fields
    inlines = [AcknowledgementInline]

    @admin.display(description=_("PDF"))
    def pdf_file(self, obj: Protocol) -> str:
        """A link to the PDF through the staff page, which checks access and logs it (the
        stored files are not served from MEDIA_URL)."""
        return format_html(
            '<a href="{}">{}</a>', reverse("practice:protocol-pdf", args=[obj.pk]), obj.pdf.name
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Protocol]:
        return super().get_queryset(request).select_related("consult")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class TemplateLineInline(TranslatedInlineFieldNames, admin.TabularInline):
    model = TemplateLine
    fields = SupplementLineInline.fields
    extra = 0


@admin.register(ProtocolTemplate)
class ProtocolTemplateAdmin(ScopedAdmin):
    visible = staticmethod(templates_for)
    list_display = ["name", "owner", "practice", "shared"]
    list_select_related = ["owner", "practice"]
    list_filter = ["shared", PRACTICE_FILTER]
    search_fields = ["name"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["complaints"]
    inlines = [TemplateLineInline]


# The access log -----------------------------------------------------------------------


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ScopedAdmin):
    """Append-only: nobody adds, changes or deletes an entry here, superusers included."""

    list_display = [
        "at",
        "username",
        "action",
        "record_type",
        "record_id",
        "client_id",
        "outcome",
        "channel",
        "ip_address",
    ]
    list_filter = ["action", "outcome", "channel", "record_type"]
    search_fields = ["username", "=client_id", "=record_id"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AccessLogEntry._meta.fields]

    @staticmethod
    def visible(user: User, queryset: QuerySet[AccessLogEntry]) -> QuerySet[AccessLogEntry]:
        """Superusers see the whole log; a practitioner the entries of their clients."""
        if user.is_superuser:
            return queryset
        return queryset.filter(client_id__in=clients_for(user).values("pk"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# "View on site" ---------------------------------------------------------------------------

# The practice records a staff user may be sent to, by the helper that says which.
VIEWABLE_ON_SITE = {
    Client: client_contacts_for,
    Consult: consults_for,
    Protocol: protocols_for,
    ProtocolTemplate: templates_for,
}


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """The admin's "View on site" redirect, narrowed for the practice's records.

    Django's own redirects any staff user to any record's page, and so tells a curator
    whether a client id exists; here a practice record the user may not see answers 404.
    """
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    if model is not None and model._meta.app_label == "practice":
        visible = VIEWABLE_ON_SITE.get(model)
        if visible is None and not request.user.is_superuser:
            raise Http404
        if visible is not None:
            try:
                seen = visible(request.user).filter(pk=object_id).exists()
            except (ValueError, TypeError) as exc:
                raise Http404 from exc
            if not seen:
                raise Http404
    return shortcut(request, content_type_id, object_id)
