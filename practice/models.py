"""The practice: clients, their medicines, consults, supplement lines and issued protocols."""

import json
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gutbrain.models import Indication, Medicine, Nutrient, NutrientForm, validate_atc_code
from practice import schedule

validate_agb_code = RegexValidator(
    r"^\d{8}$", _("An AGB code has eight digits."), code="invalid_agb_code"
)
# Letters, digits and hyphens, nothing else (`\Z`: `$` would let a final newline through):
# the number is printed, typed back to confirm an erasure and sent in file names. Runs on
# every write; numbers saved before it are left as they are until the client is next saved.
validate_client_number = RegexValidator(
    r"\A[A-Za-z0-9-]+\Z",
    _("A client number has only letters, digits and hyphens (-), such as 00042 or AB-17."),
    code="invalid_client_number",
)


def validate_not_in_future(value) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("A date of birth cannot be in the future."), code="future")


def validate_intake_times(value) -> None:
    """A medicine's intake times: a list of moments (`schedule.MEDICINE_MOMENTS`) and clock
    times "HH:MM", none twice, at most `schedule.MAX_INTAKE_TIMES`. Each message names the
    item, as JSON (`"25:00"`), so that it can be found in what was sent."""
    if not isinstance(value, list):
        raise ValidationError(
            _("Give a list of moments and clock times."), code="intake_times_not_a_list"
        )
    errors = [
        ValidationError(
            _(
                "Not a moment or a clock time: %(item)s. Give morning, midday, evening, "
                "bedtime or a time from 00:00 to 23:59, such as 21:00."
            ),
            code="invalid_intake_time",
            params={"item": json.dumps(item, ensure_ascii=False)},
        )
        for item in value
        if schedule.clock_minutes(item) is None
    ]
    texts = [item for item in value if isinstance(item, str)]
    twice = sorted(
        {json.dumps(item, ensure_ascii=False) for item in texts if texts.count(item) > 1}
    )
    if twice:
        errors.append(
            ValidationError(
                _("Listed more than once: %(codes)s."),
                code="duplicate_intake_time",
                params={"codes": ", ".join(twice)},
            )
        )
    if len(value) > schedule.MAX_INTAKE_TIMES:
        errors.append(
            ValidationError(
                _("At most %(max)s intake times; this lists %(count)s."),
                code="too_many_intake_times",
                params={"max": schedule.MAX_INTAKE_TIMES, "count": len(value)},
            )
        )
    if errors:
        raise ValidationError(errors)


class Practice(models.Model):
    name = models.CharField(_("name"), max_length=150)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    agb_code = models.CharField(
        _("AGB code"),
        max_length=8,
        blank=True,
        validators=[validate_agb_code],
        help_text=_("The practice's code in the Dutch AGB register (eight digits)."),
    )
    logo = models.ImageField(_("logo"), upload_to="practice-logos/", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def __str__(self) -> str:
        return self.name


class PracticeMember(models.Model):
    """A staff user's place in a practice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_member"
    )
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="members")
    agb_code = models.CharField(
        _("personal AGB code"), max_length=8, blank=True, validators=[validate_agb_code]
    )
    is_practice_admin = models.BooleanField(
        _("practice admin"),
        default=False,
        help_text=_("May share protocol templates with the whole practice."),
    )
    assists = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assistants",
        verbose_name=_("assists"),
        help_text=_(
            "For an assistant: the practitioners of the same practice whose clients' "
            "contact details and issued protocols this assistant may see."
        ),
    )

    class Meta:
        verbose_name = _("practice member")
        verbose_name_plural = _("practice members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.practice}"


class Client(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="clients")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("treating practitioner"),
    )
    client_number = models.CharField(
        _("client number"), max_length=20, validators=[validate_client_number]
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), validators=[validate_not_in_future])
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "client_number"], name="client_unique_number_per_practice"
            ),
        ]
        # On PostgreSQL, migration 0003 adds trigram indexes for the name and number search.
        indexes = [
            models.Index(fields=["practitioner", "last_name"], name="client_practitioner_name"),
            models.Index(fields=["last_name", "first_name", "id"], name="client_name_order"),
            models.Index(fields=["date_of_birth"], name="client_date_of_birth"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.client_number})"

    def get_absolute_url(self) -> str:
        return reverse("practice:client-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ClientMedication(models.Model):
    """A medicine the client takes, by ATC code; from the reference list or typed."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="medications")
    atc_code = models.CharField(_("ATC code"), max_length=7, validators=[validate_atc_code])
    name = models.CharField(_("name"), max_length=150)
    medicine = models.ForeignKey(
        Medicine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set when chosen from the reference list."),
    )
    intake_times = models.JSONField(
        _("intake times"),
        default=list,
        blank=True,
        validators=[validate_intake_times],
        help_text=_(
            "When the client takes it: morning (08:00), midday (12:30), evening (18:00), "
            "bedtime (22:00) or clock times HH:MM, at most six. Empty: not known."
        ),
    )

    class Meta:
        ordering = ["client", "name"]
        verbose_name = _("medicine of a client")
        verbose_name_plural = _("medicines of a client")
        constraints = [
            models.UniqueConstraint(fields=["client", "atc_code"], name="clientmedication_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.atc_code})"

    def save(self, *args, **kwargs):
        self.atc_code = self.atc_code.strip().upper()
        super().save(*args, **kwargs)

    def intake_times_words(self) -> str:
        """ "'s ochtends, 21.00 uur"; empty when the times are not known."""
        return schedule.intake_times_words(self.intake_times)


class ClientSupplement(models.Model):
    """A supplement the client already takes on their own."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="own_supplements")
    name = models.CharField(_("name"), max_length=150)
    nutrient = models.ForeignKey(
        Nutrient,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The nutrient of the knowledge base, when it is one."),
    )
    dose = models.CharField(_("dose"), max_length=100, blank=True)

    class Meta:
        ordering = ["client", "name"]
        verbose_name = _("own supplement of a client")
        verbose_name_plural = _("own supplements of a client")

    def __str__(self) -> str:
        return self.name


class DoseUnit(models.TextChoices):
    MG = "mg", "mg"
    MICROGRAM = "µg", "µg"
    G = "g", "g"
    CAPSULE = "capsule", _("capsule(s)")
    TABLET = "tablet", _("tablet(s)")
    DROPS = "drops", _("drops")
    ML = "ml", "ml"
    CFU = "CFU", _("CFU")


class Frequency(models.TextChoices):
    ONCE_DAILY = "once_daily", _("once a day")
    TWICE_DAILY = "twice_daily", _("twice a day")
    THREE_TIMES_DAILY = "three_times_daily", _("three times a day")
    AS_NEEDED = "as_needed", _("as needed")


class Timing(models.TextChoices):
    MORNING = "morning", _("in the morning")
    MIDDAY = "midday", _("at midday")
    EVENING = "evening", _("in the evening")
    BEDTIME = "bedtime", _("before bed")
    WITH_MEALS = "with_meals", _("with meals")
    BETWEEN_MEALS = "between_meals", _("between meals")


class LineFields(models.Model):
    """What to take, how much, when and for how long: shared by consult and template lines."""

    nutrient = models.ForeignKey(Nutrient, on_delete=models.PROTECT, related_name="+")
    form = models.ForeignKey(
        NutrientForm, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dose_amount = models.DecimalField(
        _("dose"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    dose_unit = models.CharField(_("unit"), max_length=10, choices=DoseUnit.choices)
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.ONCE_DAILY
    )
    timing = models.CharField(
        _("when"), max_length=20, choices=Timing.choices, default=Timing.MORNING
    )
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration (weeks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
    )
    instructions = models.TextField(_("instructions"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.nutrient} {self.dose_amount} {self.dose_unit}"

    def clean(self) -> None:
        if self.form_id and self.nutrient_id and self.form.nutrient_id != self.nutrient_id:
            raise ValidationError({"form": _("This form belongs to another nutrient.")})

    def line_values(self) -> dict:
        """The line's own values by `LINE_FIELDS`: what another line copies."""
        return {name: getattr(self, name) for name in LINE_FIELDS}


# A supplement line's fields, in the order forms show them: declared once, by `LineFields`
# (its `order` is the line's place, not a field of it). The input of the services, the
# forms, the API and the admin take their fields from here.
LINE_FIELDS = tuple(field.name for field in LineFields._meta.fields if field.name != "order")


def line_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(condition=Q(dose_amount__gt=0), name=f"{prefix}_dose_positive"),
        models.CheckConstraint(
            condition=Q(dose_unit__in=DoseUnit.values), name=f"{prefix}_dose_unit_known"
        ),
        models.CheckConstraint(
            condition=Q(duration_weeks__isnull=True) | Q(duration_weeks__gte=1),
            name=f"{prefix}_duration_positive",
        ),
    ]


class Consult(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consults")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consults"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    complaints = models.ManyToManyField(
        Indication, blank=True, related_name="consults", verbose_name=_("complaints and factors")
    )
    pregnant = models.BooleanField(_("pregnant"), default=False)
    breastfeeding = models.BooleanField(_("breastfeeding"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(
        _("revision"),
        default=1,
        editable=False,
        help_text=_("Counts up on every change; the API's ETag and the consult form's version."),
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("consult")
        verbose_name_plural = _("consults")
        indexes = [
            models.Index(fields=["client", "-date"], name="consult_client_date"),
            models.Index(fields=["practitioner", "-date", "-id"], name="consult_practitioner_date"),
        ]

    def __str__(self) -> str:
        return f"{self.client.full_name} – {self.date:%d-%m-%Y}"

    def save(self, *args, **kwargs):
        # Every change counts up the revision, so that a writer who loaded an older one is
        # refused (practice.services.consult_update) instead of overwriting.
        if not self._state.adding:
            self.revision += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("practice:consult-detail", args=[self.pk])


class SupplementLine(LineFields):
    consult = models.ForeignKey(Consult, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        ordering = ["consult", "order", "pk"]
        verbose_name = _("supplement line")
        verbose_name_plural = _("supplement lines")
        constraints = line_constraints("supplementline")


class ProtocolTemplate(models.Model):
    """A named set of lines a practitioner starts consults from ("Stress en darm")."""

    name = models.CharField(_("name"), max_length=150)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="protocol_templates"
    )
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="protocol_templates"
    )
    shared = models.BooleanField(
        _("shared with the practice"),
        default=False,
        help_text=_("Shared templates are offered to every practitioner of the practice."),
    )
    complaints = models.ManyToManyField(Indication, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("protocol template")
        verbose_name_plural = _("protocol templates")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="protocoltemplate_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateLine(LineFields):
    template = models.ForeignKey(ProtocolTemplate, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("template line")
        verbose_name_plural = _("template lines")
        constraints = line_constraints("templateline")


class Protocol(models.Model):
    """An issued protocol: a frozen snapshot of everything it shows, and its PDF.

    Never changed once saved; re-issuing the consult makes a new version.
    """

    consult = models.ForeignKey(Consult, on_delete=models.PROTECT, related_name="protocols")
    version = models.PositiveIntegerField(_("version"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(_("snapshot"))
    worst_level = models.CharField(_("most serious level"), max_length=20)
    # Named and written by `practice.pdf.files` (a folder per client), never uploaded:
    # `upload_to` is where the protocols issued before that were stored.
    pdf = models.FileField(_("PDF"), upload_to="protocols/%Y/%m/")
    pdf_sha256 = models.CharField(_("PDF checksum (SHA-256)"), max_length=64)

    class Meta:
        ordering = ["consult", "-version"]
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        constraints = [
            models.UniqueConstraint(fields=["consult", "version"], name="protocol_unique_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="protocol_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.consult} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("An issued protocol cannot be changed."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("practice:protocol-detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An issued protocol cannot be deleted."))


class Acknowledgement(models.Model):
    """A practitioner's written reason to issue despite an `avoid` finding."""

    protocol = models.ForeignKey(
        Protocol, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    nutrient = models.ForeignKey(Nutrient, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), default=timezone.now)

    class Meta:
        ordering = ["protocol", "pk"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["protocol", "nutrient"], name="acknowledgement_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="acknowledgement_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.nutrient}: {self.reason[:40]}"


class AccessAction(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    PRINT = "print", _("print")
    ERASE = "erase", _("erase")


class AccessOutcome(models.TextChoices):
    ALLOWED = "allowed", _("allowed")
    REFUSED = "refused", _("refused")
    NOT_FOUND = "not_found", _("not found")


class AccessChannel(models.TextChoices):
    WEB = "web", _("web")
    API = "api", _("API")
    ADMIN = "admin", _("admin")


class AccessRecordType(models.TextChoices):
    CLIENT = "client", _("client")
    CONSULT = "consult", _("consult")
    PROTOCOL = "protocol", _("protocol")
    PROTOCOL_PDF = "protocol_pdf", _("protocol PDF")


class HashScheme(models.TextChoices):
    """How an access log entry's hash was made (`practice.accesslog.chain_hash`)."""

    SHA256 = "sha256", _("SHA-256 (written before the log had a key)")
    HMAC_SHA256 = "hmac-sha256", _("HMAC-SHA-256 (keyed)")


class AccessLogEntry(models.Model):
    """One access to a client record (NEN 7513): who, when, what, the outcome, from where.

    Append-only: Python refuses to change or delete an entry and so does the database
    (triggers of migration 0008, and `AccessLogStart`). Each entry's hash covers
    the previous entry's hash and its own content, keyed (HMAC) since migration 0008, so a
    changed, inserted or removed entry breaks the chain (`manage.py verify_access_log`).
    `seq` counts the entries from 1 without gaps; it and `previous_hash` are unique: two
    writers that read the same newest entry cannot both append to it, so the chain cannot
    fork. The user is copied (id and username), not a foreign key, so that the entry
    outlives and does not follow changes to the account.
    """

    at = models.DateTimeField(_("when"), default=timezone.now)
    user_id = models.PositiveBigIntegerField(_("user id"), null=True, blank=True)
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AccessOutcome.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=AccessChannel.choices)
    record_type = models.CharField(
        _("record type"), max_length=20, choices=AccessRecordType.choices
    )
    record_id = models.CharField(_("record id"), max_length=40, blank=True)
    client_id = models.PositiveBigIntegerField(_("client id"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    seq = models.PositiveBigIntegerField(
        _("sequence number"),
        help_text=_("The previous entry's number plus one; the first entry is 1."),
    )
    previous_hash = models.CharField(_("previous entry's hash"), max_length=64, unique=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    hash_scheme = models.CharField(_("hash scheme"), max_length=12, choices=HashScheme.choices)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["client_id", "-id"], name="accesslog_client")]
        constraints = [
            models.UniqueConstraint(fields=["seq"], name="accesslog_unique_seq"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="accesslog_seq_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.record_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("An access log entry cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An access log entry cannot be deleted."))


class AccessLogStart(models.Model):
    """The access log's first entry, held by a foreign key so that the database refuses to
    empty the log on its own.

    A trigger writes this row with the entry numbered 1 (migration 0008). Deleting every
    entry then breaks the key at commit, on SQLite too, where a trigger cannot tell a
    `DELETE FROM` of the log from `flush` emptying the whole database, which deletes this
    row as well; on PostgreSQL it also makes `TRUNCATE` of the log alone fail.
    """

    entry = models.OneToOneField(
        AccessLogEntry,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="+",
        verbose_name=_("first entry"),
    )

    class Meta:
        verbose_name = _("access log start")
        verbose_name_plural = _("access log start")

    def __str__(self) -> str:
        return str(self.entry_id)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An access log entry cannot be deleted."))


class ErasureRecord(models.Model):
    """That a client's record was erased on request (AVG art. 17): all that is kept of it.

    Who erased it, when, why and in which practice, with the former client id as an
    opaque reference (the access log's entries carry the same id). No name, date of birth
    or client number: those are what was erased. See `practice.records.erase_client`.
    """

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="erasures")
    former_client_id = models.PositiveBigIntegerField(
        _("former client id"),
        help_text=_("The id the client had; an opaque reference, not personal data."),
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("erased by"),
    )
    erased_at = models.DateTimeField(_("erased"), default=timezone.now)
    reason = models.TextField(
        _("reason"),
        help_text=_("Why the record was erased, e.g. the client's written request of a date."),
    )
    removed = models.JSONField(
        _("removed records"),
        default=dict,
        help_text=_('How many records of each kind were removed, e.g. {"consults": 3}.'),
    )

    class Meta:
        ordering = ["-erased_at", "-pk"]
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        constraints = [
            models.UniqueConstraint(
                fields=["former_client_id"], name="erasurerecord_unique_client"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="erasurerecord_has_reason"),
        ]

    def __str__(self) -> str:
        return f"client {self.former_client_id}, {self.erased_at:%Y-%m-%d}"
