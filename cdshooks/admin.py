"""The registered EHRs and the log of their calls, for superusers only.

Registering an EHR is a decision about trust: its tokens are then believed, and the access
tokens of its calls are sent to the FHIR server registered with it. That belongs with the
other security settings a superuser alone manages (users, API tokens, practices), not with
the knowledge base's curators. The call log is read only; a superuser may delete old
entries.
"""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from cdshooks.models import CdsCall, CdsClient
from gutbrain.admin_labels import TranslatedFieldNames


class SuperuserOnly:
    """Hidden from everyone but superusers, whatever permissions they were given."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser


@admin.register(CdsClient)
class CdsClientAdmin(SuperuserOnly, TranslatedFieldNames, admin.ModelAdmin):
    list_display = ["name", "issuer", "algorithms", "fhir_server", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "issuer"]
    readonly_fields = ["created_at"]
    fields = [
        "name",
        "issuer",
        "public_key",
        "algorithms",
        "fhir_server",
        "is_active",
        "created_at",
    ]


@admin.register(CdsCall)
class CdsCallAdmin(SuperuserOnly, TranslatedFieldNames, admin.ModelAdmin):
    list_display = ["at", "issuer", "service", "hook", "outcome", "status_code", "cards", "fetched"]
    list_filter = ["outcome", "service", "fetched"]
    list_select_related = ["client"]
    search_fields = ["issuer"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in CdsCall._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
