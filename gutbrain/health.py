"""`GET /healthz`: whether this server can answer, for a load balancer's health checks.

No login and no data: 200 while the database answers one `SELECT 1`, 503 only when it
does not. The cache's state is in the body for the operator (`ok`, `down`, or
`not_configured` without `REDIS_URL`) and never fails the check: without Redis the app keeps
working, its rate limits skipped (`gutbrain.api.throttles`), so taking every server out of
the pool while Redis is down would turn a degraded service into none.

A plain Django view, not the API's: no authentication, no throttle (a health check every
second from each balancer must never be refused), no session, no access log. Not in the
OpenAPI schema, which documents the versioned API under `/api/v1/` for its clients.
"""

import logging

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# A key that is never written: reading it asks Redis without touching any count.
PROBE_KEY = "healthz-probe"


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        logger.warning("Health check: the database does not answer (%s).", exc)
        return "down"
    return "ok"


def cache_state() -> str:
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return "not_configured"
    try:
        cache.get(PROBE_KEY)
    except RedisError as exc:
        logger.warning("Health check: Redis does not answer (%s).", exc)
        return "down"
    return "ok"


@csrf_exempt
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    database = database_state()
    status = "ok" if database == "ok" else "unavailable"
    return JsonResponse(
        {"status": status, "database": database, "cache": cache_state()},
        status=200 if database == "ok" else 503,
    )
