"""How an EHR proves who it is to the CDS Hooks services ("Trusting CDS Clients" in the
specification): every call carries `Authorization: Bearer <JWT>`, signed with the EHR's
private key.

The token's header names the algorithm (`alg`), the key (`kid`) and `typ` `JWT`; its claims
are `iss` (a registered, active EHR), `aud` (the service's own URL: `CDS_BASE_URL` +
`/cds-services/{id}`, a string or a list holding it; never derived from the request's
host), `exp`, `iat` and `jti`. The signature is verified against the public key registered
for that `iss`, with one of the algorithms registered for it (never `none` or a symmetric
HS*). A token is accepted once: its `jti` is kept in the database until it expires, so a
second server refuses a replay too. A token valid for more than an hour is refused, so
that no id has to be kept longer. Anything else is 401 `{"detail": …}` saying what was
wrong. The JWK Set URL (`jku`) is not followed: keys are registered beforehand, as the
specification allows ("communicated out-of-band").
"""

import math
from datetime import UTC, datetime, timedelta

import jwt
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from cdshooks.models import SUPPORTED_ALGORITHMS, CdsClient, UsedTokenId

# A signed token of the specification's claims is well under 2 kB, even with RSA-4096;
# nothing longer is read.
MAX_TOKEN_LENGTH = 8192
MAX_JTI_LENGTH = 255
# Clocks of two servers differ a little.
LEEWAY = timedelta(seconds=30)
# Each token's id is kept until it expires: tokens are short-lived, and not longer than this.
MAX_TOKEN_LIFETIME = timedelta(hours=1)
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti"]


def service_url(service_id: str) -> str:
    """The URL an EHR calls a service at, and so the `aud` its token must name."""
    return f"{settings.CDS_BASE_URL}/cds-services/{service_id}"


def _refuse(message: str) -> AuthenticationFailed:
    return AuthenticationFailed(message, code="invalid_cds_token")


def _expiry(claims: dict) -> datetime:
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, int | float) or not math.isfinite(exp):
        raise _refuse(_("The token's exp must be a number of seconds."))
    expires = datetime.fromtimestamp(exp, UTC)
    if expires - timezone.now() > MAX_TOKEN_LIFETIME + LEEWAY:
        raise _refuse(_("The token is valid for more than an hour: make it short-lived."))
    return expires


def verify_token(token: str, *, audience: str) -> CdsClient:
    """The registered EHR that signed `token` for `audience`; `AuthenticationFailed` saying
    why not otherwise. At most two queries before the signature is known to be good (the
    EHR), two after it (the token's id, expired ids removed)."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise _refuse(_("The token is too long."))
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise _refuse(_("The token is not a JSON Web Token.")) from None
    if header.get("typ") != "JWT":
        raise _refuse(_("The token's header must have typ JWT."))
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise _refuse(_("The token's header must name its key (kid)."))
    algorithm = header.get("alg")
    if algorithm not in SUPPORTED_ALGORITHMS:
        raise _refuse(
            _("The token's algorithm is not accepted; sign with RS384 or ES384.")
            if algorithm
            else _("The token's header must name its algorithm (alg).")
        )
    issuer = unverified.get("iss")
    # PostgreSQL refuses a null character in a lookup: no such issuer is registered.
    if not isinstance(issuer, str) or not issuer or "\x00" in issuer:
        raise _refuse(_("The token must name its issuer (iss)."))
    client = CdsClient.objects.filter(issuer=issuer, is_active=True).first()
    if client is None:
        raise _refuse(_("The token's issuer is not a registered EHR."))
    if algorithm not in client.allowed_algorithms:
        raise _refuse(
            _("This EHR is registered to sign with %(algorithms)s, not %(algorithm)s.")
            % {"algorithms": ", ".join(client.allowed_algorithms), "algorithm": algorithm}
        )
    try:
        claims = jwt.decode(
            token,
            key=client.verification_key(),
            algorithms=[algorithm],
            audience=audience,
            issuer=issuer,
            leeway=LEEWAY,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.InvalidSignatureError:
        raise _refuse(_("The token's signature does not match the EHR's registered key.")) from None
    except jwt.ExpiredSignatureError:
        raise _refuse(_("The token has expired.")) from None
    except jwt.InvalidAudienceError:
        raise _refuse(
            _("The token's aud must be this service's URL, %(url)s.") % {"url": audience}
        ) from None
    except jwt.MissingRequiredClaimError as exc:
        message = _("The token must have the claim %(claim)s.") % {"claim": exc.claim}
        raise _refuse(message) from None
    except jwt.ImmatureSignatureError:
        raise _refuse(_("The token's iat lies in the future.")) from None
    except jwt.PyJWTError as exc:
        # PyJWT's own words (in English) say what it found wrong.
        message = _("The token could not be verified: %(reason)s") % {"reason": exc}
        raise _refuse(message) from None
    jti = claims["jti"]
    if not isinstance(jti, str) or not jti or len(jti) > MAX_JTI_LENGTH or "\x00" in jti:
        raise _refuse(_("The token's jti must be a text of at most 255 characters."))
    expires = _expiry(claims)
    if not UsedTokenId.objects.claim(issuer=issuer, jti=jti, expires_at=expires + LEEWAY):
        raise _refuse(_("This token has been used before: send a new one with every call."))
    return client


class CdsTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <JWT>` of a registered EHR, for the service at `audience`.
    `request.auth` is then the `CdsClient`; the user is anonymous."""

    def __init__(self, audience: str):
        self.audience = audience

    def authenticate(self, request: Request) -> tuple[AnonymousUser, CdsClient] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _space, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _refuse(_("Send the EHR's signed token as Authorization: Bearer <JWT>."))
        # No user: the EHR's users are not ours. Django's own `request.user` follows DRF's,
        # so it must stay a user object for the middleware after the view.
        return AnonymousUser(), verify_token(token.strip(), audience=self.audience)

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 rather than 403 to a call without a token.
        return 'Bearer realm="cds-services"'


class IsRegisteredEhr(BasePermission):
    def has_permission(self, request: Request, view) -> bool:
        return isinstance(request.auth, CdsClient)
