"""The practice's staff pages, mounted at the site root."""

from django.urls import path

from practice.fhir import views as fhir_views
from practice.views import clients, consults, dashboard, protocols, templates

app_name = "practice"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("clients/", clients.client_list, name="client-list"),
    path("clients/new/", clients.client_create, name="client-create"),
    path("clients/<int:pk>/", clients.client_detail, name="client-detail"),
    path("clients/<int:pk>/edit/", clients.client_update, name="client-update"),
    path("clients/<int:pk>/access-log/", clients.client_access_log, name="client-access-log"),
    path("clients/<int:pk>/export/", clients.client_export, name="client-export"),
    path("clients/<int:pk>/erase/", clients.client_erase, name="client-erase"),
    path(
        "clients/<int:pk>/medications/import/",
        fhir_views.medication_import,
        name="client-medication-import",
    ),
    path("clients/<int:pk>/consults/new/", consults.consult_create, name="consult-create"),
    path("consults/<int:pk>/", consults.consult_detail, name="consult-detail"),
    path("consults/<int:pk>/check/", consults.consult_check, name="consult-check"),
    path("consults/<int:pk>/issue/", consults.consult_issue, name="consult-issue"),
    path("consults/<int:pk>/delete/", consults.consult_delete, name="consult-delete"),
    path(
        "consults/<int:pk>/save-as-template/",
        consults.consult_save_template,
        name="consult-save-template",
    ),
    path("nutrient-forms/", consults.nutrient_form_options, name="nutrient-form-options"),
    path("templates/", templates.template_list, name="template-list"),
    path("templates/<int:pk>/edit/", templates.template_update, name="template-update"),
    path("templates/<int:pk>/share/", templates.template_share, name="template-share"),
    path("templates/<int:pk>/delete/", templates.template_delete, name="template-delete"),
    path("protocols/<int:pk>/", protocols.protocol_detail, name="protocol-detail"),
    path("protocols/<int:pk>/print/", protocols.protocol_print, name="protocol-print"),
    path("protocols/<int:pk>/pdf/", protocols.protocol_pdf, name="protocol-pdf"),
]
