"""The FHIR endpoints of the API, included at `/api/v1/` with the practice API
(`practice.api.urls`). A record's key is any text up to the next slash, so that every
answer, for a key that is no number too, comes from the view: FHIR JSON, and logged."""

from django.urls import path, re_path

from practice.fhir import views

PK = r"(?P<pk>[^/]+)"

urlpatterns = [
    re_path(rf"^clients/{PK}/fhir/$", views.ClientBundleView.as_view(), name="client-fhir"),
    re_path(
        rf"^clients/{PK}/medications/fhir/$",
        views.MedicationImportView.as_view(),
        name="client-medications-fhir",
    ),
    re_path(rf"^protocols/{PK}/fhir/$", views.ProtocolBundleView.as_view(), name="protocol-fhir"),
    path(
        "fhir/CodeSystem/nutrient",
        views.NutrientCodeSystemView.as_view(),
        name="fhir-codesystem-nutrient",
    ),
]
