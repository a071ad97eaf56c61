"""API tokens (django-rest-knox): issued at `POST /api/v1/auth/token/`, ended by `DELETE`
on the same URL, by their expiry, and all at once by a change of the user's password.

knox stores a token's SHA-512 hash only; the token itself is shown once, when issued.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.db.models.signals import pre_save
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings


class TokenLimitReached(Exception):
    """The user holds `TOKEN_LIMIT_PER_USER` live tokens already."""


def issue_token(*, user: AbstractBaseUser) -> tuple[AuthToken, str]:
    """A new token for `user`, expiring after `TOKEN_TTL`: the stored row and the token
    itself (shown once). Expired tokens of the user are removed first."""
    now = timezone.now()
    tokens = AuthToken.objects.filter(user=user)
    tokens.filter(expiry__lte=now).delete()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    live = tokens.filter(Q(expiry__isnull=True) | Q(expiry__gt=now))
    if limit is not None and live.count() >= limit:
        raise TokenLimitReached
    return AuthToken.objects.create(user=user)


def end_tokens_on_password_change(sender, instance, raw: bool, update_fields, **kwargs) -> None:
    """pre_save of the user model: a save that changes the stored password hash ends every
    token of the user, whatever made the change (the staff page, the admin, `set_password`
    in a shell, `manage.py changepassword`). Their sessions need nothing: Django refuses a
    session whose password hash no longer matches (`get_session_auth_hash`), and the
    password change pages renew the session of the user making the change.

    A rehash by a stronger hasher at login changes the hash too, and so ends the tokens once."""
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    if stored.first() not in (None, instance.password):
        AuthToken.objects.filter(user_id=instance.pk).delete()


def connect() -> None:
    """Called once, from `GutbrainConfig.ready()`."""
    pre_save.connect(
        end_tokens_on_password_change,
        sender=get_user_model(),
        dispatch_uid="gutbrain.tokens.end_tokens_on_password_change",
    )
