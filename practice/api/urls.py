"""URLs of the practice API, included at `/api/v1/` under the namespace `practice_api`.

A `SimpleRouter`: the API's root view is the knowledge base's (`api:api-root`).
"""

from rest_framework.routers import SimpleRouter

from practice.api import views
from practice.fhir import urls as fhir_urls

app_name = "practice_api"

router = SimpleRouter()
router.register("clients", views.ClientViewSet, basename="client")
router.register("client-contacts", views.ClientContactViewSet, basename="client-contact")
router.register("consults", views.ConsultViewSet, basename="consult")
router.register("protocols", views.ProtocolViewSet, basename="protocol")

urlpatterns = [*router.urls, *fhir_urls.urlpatterns]
