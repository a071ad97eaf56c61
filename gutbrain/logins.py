"""What stands between a password guesser and a login, besides the password.

- django-axes locks a username at one address after `AXES_FAILURE_LIMIT` failures from it
  (`AXES_LOCKOUT_PARAMETERS`), so a stranger cannot lock the real user out of their own
  address. `LockoutHandler` adds a ceiling per username over all addresses together, so
  guesses spread over many addresses stay bounded too.
- `limit_login_rate` limits the POSTs to the staff and admin login pages per address, so
  one password tried against many usernames (one failure each, no lockout) is slowed too.
"""

import math
from collections.abc import Callable
from functools import wraps

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gutbrain.api.throttles import LoginRateThrottle


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler (`AXES_HANDLER`) with a ceiling per username.

    Once the failures for a username, from all addresses together, within the cool-off
    reach `LOCKOUT_USERNAME_CEILING`, the username is locked at every address, its own user's
    included, until the cool-off has passed since the last counted failure or an
    administrator unlocks it. Failures during a lock are not counted
    (`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT`), so one address adds at most
    `AXES_FAILURE_LIMIT` to the count.
    """

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return self.username_failures(request, credentials) >= settings.LOCKOUT_USERNAME_CEILING

    def username_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Failures for the request's username within the cool-off, from any address."""
        attempts = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            attempt_time__gte=get_cool_off_threshold(request),
        )
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def limit_login_rate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answers a POST to the login page `view` past `LOGIN_RATE` from one address with 429
    and `Retry-After`, before any password is checked. Showing the page is never limited."""

    @wraps(view)
    def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            throttle = LoginRateThrottle()
            if not throttle.allow_request(request, None):
                return too_many_logins(request, wait=throttle.wait())
        return view(request, *args, **kwargs)

    return limited


def too_many_logins(request: HttpRequest, *, wait: float | None) -> HttpResponse:
    seconds = max(1, math.ceil(wait or 0))
    response = render(
        request, "registration/too_many_logins.html", {"seconds": seconds}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response
