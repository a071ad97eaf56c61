"""The EHRs that may call the CDS Hooks services, the token ids they have used, and the
log of their calls.

An EHR (a "CDS client") is registered with the issuer (`iss`) its tokens name and the
public key they are signed with (PEM, RSA of 2048 bits or more, or EC on P-256, P-384 or
P-521), the algorithms it signs with, and optionally the base URL of its FHIR server: the
only address the services ever fetch an EHR's data from. Registering one is a decision
about trust, made by a superuser in the admin or with `manage.py cds_client`.
"""

import ipaddress
from datetime import datetime
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The algorithms an EHR may sign with, and the key each needs. The specification
# recommends RS384 and ES384; `none` and the symmetric HS* are never accepted (a shared
# secret would let us sign as the EHR).
RSA_ALGORITHMS = ("RS384", "RS256", "RS512")
EC_ALGORITHMS = {"ES256": ec.SECP256R1, "ES384": ec.SECP384R1, "ES512": ec.SECP521R1}
SUPPORTED_ALGORITHMS = (*RSA_ALGORITHMS, *EC_ALGORITHMS)
MIN_RSA_BITS = 2048
MAX_PEM_LENGTH = 10_000

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


def load_public_key(pem: str) -> PublicKey:
    """The key of a PEM text; `ValidationError` for anything but an RSA key of at least
    2048 bits or an EC key on P-256, P-384 or P-521."""
    if len(pem) > MAX_PEM_LENGTH:
        raise ValidationError(_("This is too long for a public key."), code="too_long")
    try:
        key = load_pem_public_key(pem.strip().encode())
    except (ValueError, TypeError, UnicodeError):
        raise ValidationError(
            _(
                "Not a public key in PEM form: paste the text from -----BEGIN PUBLIC KEY----- "
                "to -----END PUBLIC KEY-----."
            ),
            code="invalid_key",
        ) from None
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise ValidationError(
                _("An RSA key needs at least %(bits)d bits; this one has %(size)d."),
                params={"bits": MIN_RSA_BITS, "size": key.key_size},
                code="weak_key",
            )
        return key
    if isinstance(key, ec.EllipticCurvePublicKey) and any(
        isinstance(key.curve, curve) for curve in EC_ALGORITHMS.values()
    ):
        return key
    raise ValidationError(
        _("Use an RSA key (for RS384) or an EC key on P-256, P-384 or P-521 (for ES384)."),
        code="unsupported_key",
    )


def validate_public_key(pem: str) -> None:
    load_public_key(pem)


def algorithms_for(key: PublicKey) -> tuple[str, ...]:
    """The algorithms a key can verify."""
    if isinstance(key, rsa.RSAPublicKey):
        return RSA_ALGORITHMS
    return tuple(name for name, curve in EC_ALGORITHMS.items() if isinstance(key.curve, curve))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_fhir_server(url: str) -> None:
    """An absolute https URL without query or fragment; plain http only on this machine
    (a test server), as the specification asks for https with production data."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError(_("Enter the FHIR server's base URL, starting with https://."))
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValidationError(
            _("Enter the base URL only, without a query, a fragment or credentials.")
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValidationError(
            _("The FHIR server must be reached over https (http only on this machine).")
        )


class CdsClient(models.Model):
    """An EHR that may call the CDS Hooks services."""

    name = models.CharField(_("name"), max_length=100, help_text=_("The EHR, as staff know it."))
    issuer = models.CharField(
        _("issuer (iss)"),
        max_length=255,
        help_text=_(
            "Exactly as the `iss` claim of the EHR's tokens gives it, e.g. "
            "https://ehr.example.nl/. Each issuer is registered once."
        ),
    )
    public_key = models.TextField(
        _("public key (PEM)"),
        validators=[validate_public_key],
        help_text=_(
            "The public key the EHR signs its tokens with, from -----BEGIN PUBLIC KEY----- to "
            "-----END PUBLIC KEY-----: RSA (2048 bits or more) or EC (P-256, P-384, P-521). "
            "The private key stays with the EHR."
        ),
    )
    algorithms = models.CharField(
        _("algorithms"),
        max_length=60,
        blank=True,
        help_text=_(
            "The signing algorithms accepted from this EHR, comma-separated, e.g. RS384 or "
            "ES384. Empty: RS384 for an RSA key, the ES algorithm of the curve for an EC key."
        ),
    )
    fhir_server = models.CharField(
        _("FHIR server"),
        max_length=500,
        blank=True,
        validators=[validate_fhir_server],
        help_text=_(
            "The base URL of the EHR's FHIR server. Data a call does not carry is fetched "
            "from here only, with the access token of the call, and only when the call "
            "names this same server. Empty: nothing is ever fetched."
        ),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive EHR's calls are refused (401).")
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("EHR (CDS client)")
        verbose_name_plural = _("EHRs (CDS clients)")
        constraints = [models.UniqueConstraint(fields=["issuer"], name="cdsclient_unique_issuer")]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer})"

    def save(self, *args, **kwargs) -> None:
        # Every way in (the admin, the command, code) meets the same checks of the key.
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.public_key = self.public_key.strip()
        self.fhir_server = self.fhir_server.strip().rstrip("/")
        self.algorithms = ",".join(
            name.strip().upper() for name in self.algorithms.split(",") if name.strip()
        )
        try:
            key = load_public_key(self.public_key)
        except ValidationError:
            return  # the field's own validator says so
        fitting = algorithms_for(key)
        if not self.algorithms:
            self.algorithms = fitting[0]
            return
        wrong = [name for name in self.allowed_algorithms if name not in fitting]
        if wrong:
            raise ValidationError(
                {
                    "algorithms": _(
                        "Not possible with this key: %(wrong)s. This key signs with %(fitting)s."
                    )
                    % {"wrong": ", ".join(wrong), "fitting": ", ".join(fitting)}
                }
            )

    @property
    def allowed_algorithms(self) -> list[str]:
        return [name for name in self.algorithms.split(",") if name]

    def verification_key(self) -> PublicKey:
        return load_public_key(self.public_key)


class UsedTokenIdQuerySet(models.QuerySet):
    def claim(self, *, issuer: str, jti: str, expires_at: datetime) -> bool:
        """Records that the token `jti` of `issuer` has been used; False when it had been
        already. Rows of expired tokens are removed on the way: they can no longer be
        replayed, since an expired token is refused anyway. Two queries."""
        now = timezone.now()
        self.filter(expires_at__lt=now).delete()
        try:
            with transaction.atomic():
                self.create(issuer=issuer, jti=jti, expires_at=expires_at)
        except IntegrityError:
            return False
        return True


class UsedTokenId(models.Model):
    """A token (`jti`) an EHR has used, kept until it expires: each is accepted once. In the
    database, so that every server of the service agrees."""

    issuer = models.CharField(_("issuer"), max_length=255)
    jti = models.CharField(_("token id (jti)"), max_length=255)
    expires_at = models.DateTimeField(_("expires"))

    objects = UsedTokenIdQuerySet.as_manager()

    class Meta:
        verbose_name = _("used token id")
        verbose_name_plural = _("used token ids")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "jti"], name="usedtokenid_unique_jti")
        ]
        indexes = [models.Index(fields=["expires_at"], name="usedtokenid_expires")]

    def __str__(self) -> str:
        return self.jti


class CallOutcome(models.TextChoices):
    CARDS = "cards", _("checked and answered")
    NO_NUTRIENT = "no_nutrient", _("no order named a nutrient")
    BAD_REQUEST = "bad_request", _("refused: the request was not valid")
    NO_MEDICINES = "no_medicines", _("refused: the medicines could not be had (412)")
    THROTTLED = "throttled", _("refused: too many calls (429)")


class CdsCall(models.Model):
    """One authenticated call of a service: which EHR, which hook, the outcome. Nothing
    about the patient: the record is the EHR's, not ours."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    client = models.ForeignKey(
        CdsClient,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("EHR"),
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    service = models.CharField(_("service"), max_length=60)
    hook = models.CharField(_("hook"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CallOutcome.choices)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"))
    cards = models.PositiveSmallIntegerField(_("cards"), default=0)
    fetched = models.BooleanField(
        _("fetched from the FHIR server"),
        default=False,
        help_text=_("Whether data the call did not carry was fetched from the EHR's server."),
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("CDS Hooks call")
        verbose_name_plural = _("CDS Hooks calls")
        indexes = [models.Index(fields=["client", "-at"], name="cdscall_client_at")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.service} {self.at:%Y-%m-%d %H:%M:%S}"
