"""URLs of the knowledge base's API, included at `/api/v1/` under the namespace `api`,
with the API's root, its token endpoint and its schema.

The practice API is included at the same prefix under its own namespace
(`practice.api.urls`); the one schema covers both.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from gutbrain.api import views

app_name = "api"

router = DefaultRouter()
router.register("nutrients", views.NutrientViewSet, basename="nutrient")
router.register("indications", views.IndicationViewSet, basename="indication")
router.register("medicine-classes", views.MedicineClassViewSet, basename="medicineclass")
router.register("medicines", views.MedicineViewSet, basename="medicine")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("interactions", views.InteractionViewSet, basename="interaction")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("references", views.ReferenceViewSet, basename="reference")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("interaction-check/", views.InteractionCheckView.as_view(), name="interaction-check"),
    # drf-spectacular serves these to anyone by default; the API is for staff only.
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="schema",
    ),
    # The split view serves its script from a URL rather than inline, for a strict CSP.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", permission_classes=[IsAuthenticated]
        ),
        name="docs",
    ),
    *router.urls,
]
