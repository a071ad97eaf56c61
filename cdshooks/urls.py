"""The CDS Hooks endpoints, at the root as the specification fixes them (`views`)."""

from django.urls import path

from cdshooks import views

app_name = "cdshooks"

urlpatterns = [
    path("cds-services", views.DiscoveryView.as_view(), name="discovery"),
    path("cds-services/<slug:id>", views.ServiceView.as_view(), name="service"),
]
