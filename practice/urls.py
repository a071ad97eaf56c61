"""The practice's staff pages, mounted at the site root."""

from django.urls import path

from practice import views
from practice.fhir import views as fhir_views

app_name = "practice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("clients/", views.client_list, name="client-list"),
    path("clients/new/", views.client_create, name="client-create"),
    path("clients/<int:pk>/", views.client_detail, name="client-detail"),
    path("clients/<int:pk>/edit/", views.client_update, name="client-update"),
    path("clients/<int:pk>/access-log/", views.client_access_log, name="client-access-log"),
    path("clients/<int:pk>/export/", views.client_export, name="client-export"),
    path("clients/<int:pk>/erase/", views.client_erase, name="client-erase"),
    path(
        "clients/<int:pk>/medications/import/",
        fhir_views.medication_import,
        name="client-medication-import",
    ),
    path("clients/<int:pk>/consults/new/", views.consult_create, name="consult-create"),
    path("consults/<int:pk>/", views.consult_detail, name="consult-detail"),
    path("consults/<int:pk>/check/", views.consult_check, name="consult-check"),
    path("consults/<int:pk>/issue/", views.consult_issue, name="consult-issue"),
    path("consults/<int:pk>/delete/", views.consult_delete, name="consult-delete"),
    path(
        "consults/<int:pk>/save-as-template/",
        views.consult_save_template,
        name="consult-save-template",
    ),
    path("nutrient-forms/", views.nutrient_form_options, name="nutrient-form-options"),
    path("templates/", views.template_list, name="template-list"),
    path("templates/<int:pk>/edit/", views.template_update, name="template-update"),
    path("templates/<int:pk>/share/", views.template_share, name="template-share"),
    path("templates/<int:pk>/delete/", views.template_delete, name="template-delete"),
    path("protocols/<int:pk>/", views.protocol_detail, name="protocol-detail"),
    path("protocols/<int:pk>/print/", views.protocol_print, name="protocol-print"),
    path("protocols/<int:pk>/pdf/", views.protocol_pdf, name="protocol-pdf"),
]
