"""Sessions that end after a spell of inactivity, renewed at most once a minute.

Django moves a session's expiry only when it saves the session; saving it on every
request (`SESSION_SAVE_EVERY_REQUEST`) costs a database write per page. Instead the session
notes when it was last renewed, and is saved again once a minute has gone by: it ends
between `SESSION_COOKIE_AGE` minus one minute and `SESSION_COOKIE_AGE` after the last
request.
"""

import time
from collections.abc import Callable

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse

RENEWED_AT = "_renewed_at"
RENEW_AFTER_SECONDS = 60


def _note_renewal(session) -> None:
    session[RENEWED_AT] = int(time.time())


class SessionRenewalMiddleware:
    """Renews the expiry of a session in use; sits below `SessionMiddleware`, which saves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session the request used: an anonymous visitor gets none made for them.
        if session is None or not session.accessed or session.is_empty():
            return response
        last = session.get(RENEWED_AT, 0)
        if session.modified or time.time() - last >= RENEW_AFTER_SECONDS:
            _note_renewal(session)
        return response


def note_login(sender, request: HttpRequest | None, **kwargs) -> None:
    """A login is a renewal: the session was just saved with a fresh expiry."""
    if request is not None and hasattr(request, "session"):
        _note_renewal(request.session)


def connect() -> None:
    user_logged_in.connect(note_login, dispatch_uid="gutbrain.sessions.note_login")
