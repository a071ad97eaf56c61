"""The app's URLs plus `bench/ping/`: the least an authenticated DRF endpoint does
(authentication, permission, throttles, a JSON answer), the baseline the interaction
check's requests per second are compared with. It exists only in the benchmark."""

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gutbrain.urls import urlpatterns as app_urlpatterns


class PingView(APIView):
    def post(self, request: Request) -> Response:
        return Response({"ok": True})


urlpatterns = [path("bench/ping/", PingView.as_view(), name="bench-ping"), *app_urlpatterns]
