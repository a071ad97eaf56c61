"""Factories for the tests' objects. Texts are Dutch with English beside them."""

import datetime
import time
import uuid
from decimal import Decimal

import factory
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.auth.models import User
from knox.models import AuthToken

from cdshooks.auth import service_url
from cdshooks.models import CdsClient
from gutbrain import models as kb

PASSWORD = "Correct-Horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nl")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def api_token(user: User) -> str:
    """A new API token of `user`, as `POST /api/v1/auth/token/` gives it (knox stores only
    its hash)."""
    return AuthToken.objects.create(user=user)[1]


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.Reference
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: 100 + n)


class NutrientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.Nutrient
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"nutrient-{n}")
    name_nl = factory.LazyAttribute(lambda o: f"Nutriënt {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Nutrient {o.slug}")
    kind = kb.Nutrient.Kind.HERB


class NutrientFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.NutrientForm

    nutrient = factory.SubFactory(NutrientFactory)
    slug = factory.Sequence(lambda n: f"form-{n}")
    name_nl = factory.LazyAttribute(lambda o: f"Vorm {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Form {o.slug}")


class MedicineClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.MedicineClass
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"class-{n}")
    name_nl = factory.LazyAttribute(lambda o: f"Klasse {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Class {o.slug}")
    atc_prefixes = "N05"


class MedicineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.Medicine
        django_get_or_create = ("atc_code",)

    name = "oxazepam"
    atc_code = "N05BA04"


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.Interaction

    nutrient = factory.SubFactory(NutrientFactory)
    target = kb.Interaction.Target.MEDICINE_CLASS
    medicine_class = factory.SubFactory(MedicineClassFactory)
    level = kb.Level.MONITOR
    advice_nl = "Monitor de effecten van de medicijnen."
    advice_en = "Monitor the medicines' effects."
    client_advice_nl = "Let op of uw medicijn anders werkt en overleg met uw arts."
    client_advice_en = "Watch whether your medicine works differently and talk to your doctor."


class IndicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.Indication
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"factor-{n}")
    name_nl = factory.LazyAttribute(lambda o: f"Factor {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Factor {o.slug}")
    category = kb.Indication.Category.PSYCHOLOGICAL


class EvidenceSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.EvidenceSummary

    nutrient = factory.SubFactory(NutrientFactory)
    title_nl = "Studie"
    title_en = "Study"
    design = kb.EvidenceSummary.Design.RCT
    summary_nl = "Samenvatting."
    summary_en = "Summary."
    certainty = kb.EvidenceSummary.Certainty.LOW


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    title_nl = "Onderwerp"
    title_en = "Topic"
    body_nl = "Tekst."
    body_en = "Text."


# The practice -------------------------------------------------------------------------


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "practice.Practice"

    name = "Praktijk De Darm-Hersen-As"
    address = "Voorbeeldstraat 1\n1234 AB Utrecht"
    phone = "030-1234567"
    email = "info@praktijk.example.nl"
    agb_code = "90001234"


class PracticeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "practice.PracticeMember"
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    practice = factory.SubFactory(PracticeFactory)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "practice.Client"

    practice = factory.SubFactory(PracticeFactory)
    practitioner = factory.SubFactory(UserFactory)
    client_number = factory.Sequence(lambda n: f"C{n:05d}")
    first_name = "Sanne"
    last_name = factory.Sequence(lambda n: f"Mulder{n}")
    date_of_birth = datetime.date(1985, 3, 14)


class ClientMedicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "practice.ClientMedication"

    client = factory.SubFactory(ClientFactory)
    atc_code = "N05BA04"
    name = "oxazepam"


class ConsultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "practice.Consult"

    client = factory.SubFactory(ClientFactory)
    practitioner = factory.LazyAttribute(lambda o: o.client.practitioner)
    date = datetime.date(2026, 11, 2)


class SupplementLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "practice.SupplementLine"

    consult = factory.SubFactory(ConsultFactory)
    nutrient = factory.SubFactory(NutrientFactory)
    dose_amount = Decimal("300")
    dose_unit = "mg"
    frequency = "once_daily"
    timing = "morning"
    duration_weeks = 8


def issue(**kwargs):
    """`issue_protocol` as a request runs it, its PDF file put in place once the
    transaction commits. A test's own transaction never commits, so the commit's
    callbacks are run here when the issue's block ends (as they are, in production, when
    the outermost block commits)."""
    from django.test import TestCase

    from practice.protocols import issue_protocol

    with TestCase.captureOnCommitCallbacks(execute=True):
        return issue_protocol(**kwargs)


def ehr_token(service_id: str = "gutbrain-order-sign") -> str:
    """A token of a newly registered EHR (an EC P-384 key) for a CDS Hooks service, as the
    EHR signs it for one call."""
    key = ec.generate_private_key(ec.SECP384R1())
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    client = CdsClient.objects.create(
        name="EPD", issuer=f"https://epd-{uuid.uuid4().hex[:8]}.example/", public_key=pem.decode()
    )
    now = int(time.time())
    claims = {"iss": client.issuer, "aud": service_url(service_id), "iat": now, "exp": now + 60}
    return jwt.encode(
        {**claims, "jti": str(uuid.uuid4())}, key, algorithm="ES384", headers={"kid": "k"}
    )
