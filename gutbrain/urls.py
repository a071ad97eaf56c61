"""Root URLs: the staff pages, the admin, the API (`/api/v1/`), the CDS Hooks services
(`/cds-services`) and the health check (`/healthz`)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from gutbrain.health import healthz
from gutbrain.logins import limit_login_rate
from practice import admin as practice_admin

# The admin is gutbrain's own, not "Django-beheer".
admin.site.site_header = _("gutbrain administration")
admin.site.site_title = _("gutbrain administration")
admin.site.index_title = _("Overview")

urlpatterns = [
    # For load balancers: no login, no data (gutbrain.health).
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("gutbrain.api.urls")),
    path("api/v1/", include("practice.api.urls")),
    # CDS Hooks, for EHRs: `/cds-services` and `/cds-services/{id}`, no trailing slash.
    path("", include("cdshooks.urls")),
    path("accounts/login/", limit_login_rate(auth_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Own template names: the admin's password change keeps Django's registration/ ones.
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/change_password.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/change_password_done.html"
        ),
        name="password_change_done",
    ),
    # Before the admin's own: "View on site" that does not reveal which client ids exist.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(practice_admin.view_on_site),
    ),
    # Before the admin's own: its login page, under the same rate per address as the staff's.
    path("admin/login/", limit_login_rate(admin.site.login)),
    path("admin/", admin.site.urls),
    path("kennisbank/", include("gutbrain.kb_urls")),
    path("", include("practice.urls")),
]

# The stored files (protocols' PDFs) are never served from MEDIA_URL, not even with DEBUG:
# they hold clients' names and are answered only by the views that check access and log it.

# Under /api/ a URL that matches no route answers JSON, as the schema documents.
handler404 = "gutbrain.api.views.not_found"
# Under /api/ a server error answers JSON; a database outage answers 503 everywhere.
handler500 = "gutbrain.errors.server_error"
