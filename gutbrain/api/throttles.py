"""The rate limits: the API's (`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`) with their
documentation, and the login pages' (`LOGIN_RATE`).

Every API request counts against two limits of its user, a short burst and a sustained
rate per hour, or against the anonymous limit of its address. The token endpoint has its
own tighter scope; the CDS Hooks services count per calling EHR (`cds`). Past a limit DRF
answers 429 with `Retry-After`. An address is always `client_ip(request)`: DRF's own would
take the whole `X-Forwarded-For` header, which the client writes, so that a new header per
request escaped every limit.

The counts are kept in the default cache: each process's memory, or Redis shared by every
server when `REDIS_URL` is set. While Redis cannot be reached a request is let through
uncounted, with a warning in the log: a cache outage must not take the logins, the check or
the API down with it, and the limits come back with Redis. After a failure the process
leaves Redis alone for `CACHE_OUTAGE_SECONDS` (`cache_outage`): an unreachable Redis then
costs one request one timeout, not every request one per limit.

A count is one atomic increment (`_Throttle.count`, INCR on Redis), not DRF's read of the
request history and write of it back: two servers that read the same history at the same
moment would each write back their own request only, and a burst spread over the servers
would pass the limit by as many requests as were in flight. The window is fixed: it opens
with the first request of a user (or address, or EHR) and closes `duration` later, when
the count starts again from zero.
"""

import hashlib
import logging
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from redis.exceptions import RedisError
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from gutbrain.client_ip import client_ip

logger = logging.getLogger(__name__)


class CacheOutage:
    """When this process may ask the cache again after it failed to answer."""

    def __init__(self) -> None:
        self.until = 0.0

    def ongoing(self) -> bool:
        return time.monotonic() < self.until

    def begin(self) -> None:
        self.until = time.monotonic() + settings.CACHE_OUTAGE_SECONDS

    def end(self) -> None:
        self.until = 0.0


cache_outage = CacheOutage()


class _Throttle:
    """The project's throttles: the address from `client_ip`, and the rate read when a
    request comes in (DRF's throttles read the rates once, at import, so a changed setting,
    a test's override, would otherwise go unseen)."""

    scope: str

    def allow_request(self, request: HttpRequest, view: Any) -> bool:
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True  # not counted here (the anonymous rate, for a logged-in user)
        if cache_outage.ongoing():
            reason = "the cache could not be reached moments ago"
        else:
            try:
                return self.count()
            except RedisError as exc:
                cache_outage.begin()
                reason = f"the cache cannot be reached ({exc})"
        logger.warning(
            "Rate limit %r not applied to %s %s: %s.",
            self.scope,
            request.method,
            request.path,
            reason,
        )
        return True

    def count(self) -> bool:
        """Counts the request in its key's window; whether it is within the rate.

        `add` opens a window (and does nothing when one is open), `incr` counts in it:
        INCR on Redis, atomic across every server. Should the window close between the two
        (its key expired), `incr` finds no key and the request opens the next window; should
        it close between `incr`'s check for the key and its INCR, Redis makes a key without
        expiry, which the first count (1) of a window is given by `touch`."""
        self.now = self.timer()
        for _ in range(2):
            opened = self.cache.add(self.key, 0, self.duration)
            if opened:
                self.cache.set(self.ends_key, self.now + self.duration, self.duration)
            try:
                count = self.cache.incr(self.key)
            except ValueError:
                continue  # the window closed between add and incr: the next one
            if count == 1 and not opened:
                self.cache.touch(self.key, self.duration)
            return count <= self.num_requests
        return True  # windows closing twice in a row: a request cannot be counted twice

    @property
    def ends_key(self) -> str:
        return f"{self.key}_ends"

    def wait(self) -> float:
        """Seconds until the window closes (Retry-After)."""
        try:
            ends = self.cache.get(self.ends_key)
        except RedisError:
            ends = None
        if not isinstance(ends, float):
            return float(self.duration)
        return max(1.0, ends - self.now)

    def get_rate(self) -> str:
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request: HttpRequest) -> str:
        return client_ip(request) or ""


class BurstRateThrottle(_Throttle, UserRateThrottle):
    scope = "burst"


class SustainedRateThrottle(_Throttle, UserRateThrottle):
    scope = "sustained"


class AnonymousRateThrottle(_Throttle, AnonRateThrottle):
    scope = "anon"


class TokenRateThrottle(_Throttle, UserRateThrottle):
    """Per address for logins (nobody is authenticated yet), per user for revocations."""

    scope = "token"


class CdsClientRateThrottle(_Throttle, SimpleRateThrottle):
    """CDS Hooks calls per EHR: one EHR calls for all its users, from addresses of its own
    choosing, so neither the user nor the address would be the right count. Runs after the
    EHR's token is verified (`cdshooks.auth`): `request.auth` is the registered EHR."""

    scope = "cds"

    def get_cache_key(self, request: HttpRequest, view: Any) -> str | None:
        issuer = getattr(request.auth, "issuer", None)
        if issuer is None:
            return None
        # The issuer is the EHR's own text: hashed into a key any cache accepts.
        ident = hashlib.sha256(issuer.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LoginRateThrottle(_Throttle, SimpleRateThrottle):
    """POSTs to the staff and admin login pages, per address (`gutbrain.logins`)."""

    scope = "login"

    def get_rate(self) -> str:
        return settings.LOGIN_RATE

    def get_cache_key(self, request: HttpRequest, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


THROTTLED_RESPONSE = {
    "description": (
        "Too many requests: wait the number of seconds in `Retry-After`. The rates are per "
        "user (a burst per minute, a sustained rate per hour) and per address for "
        "anonymous requests."
    ),
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before the next request.",
            "schema": {"type": "integer"},
        }
    },
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Throttled"}}},
}
THROTTLED_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}


def document_throttling(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular hook: every operation is throttled, so every operation may answer
    429. An operation that documents its own 429 (the token endpoint's lockout) keeps it."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            response = operation.setdefault("responses", {}).setdefault("429", THROTTLED_RESPONSE)
            response.setdefault("headers", THROTTLED_RESPONSE["headers"])
    result.setdefault("components", {}).setdefault("schemas", {})["Throttled"] = THROTTLED_SCHEMA
    return result
