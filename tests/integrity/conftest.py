"""A realistic clinic to back up, stored files in a fresh folder per test, and the rows of
every table as plain data to compare."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission, User
from django.core import serializers
from django.core.files.base import ContentFile
from knox.models import AuthToken

from gutbrain.models import FoodSource, Indication, Nutrient, NutrientForm, Reference
from practice.models import Practice, Protocol, ProtocolTemplate, TemplateLine
from practice.protocols import AcknowledgementInput
from practice.services import (
    LineInput,
    MedicationInput,
    OwnSupplementInput,
    client_create,
    consult_create,
)
from tests.conftest import restore_after_flush
from tests.factories import PracticeFactory, PracticeMemberFactory, issue

# A 1×1 transparent PNG: the practice's logo.
LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154"
    "789c6360606060000000050001a5f645400000000049454e44ae426082"
)
# Schema rows `migrate` makes: compared by what they name, since their ids may differ.
NAMED_BY_NATURAL_KEY = {"contenttypes.contenttype", "auth.permission"}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def restore_migrated_rows(django_db_blocker):
    """Puts back what the migrations wrote, and the knowledge base, once the module's
    transactional tests have emptied every table, for the tests that run after them (as
    tests/gutbrain/api/test_live_server.py does)."""
    yield
    with django_db_blocker.unblock():
        restore_after_flush()


def every_row() -> dict[str, list[dict]]:
    """Every row of every table, as the serializer sees it; many-to-many values sorted,
    content types and permissions by their natural keys (and in that order)."""
    tables = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        label = model._meta.label_lower
        rows = serializers.serialize(
            "python",
            model._base_manager.order_by("pk"),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=label in NAMED_BY_NATURAL_KEY,
        )
        for row in rows:
            for field in model._meta.many_to_many:
                if field.name in row["fields"]:
                    row["fields"][field.name] = sorted(row["fields"][field.name], key=str)
        if label in NAMED_BY_NATURAL_KEY:
            rows.sort(key=str)
        tables[label] = rows
    return tables


def stored_bytes(field_file) -> bytes:
    with field_file.open("rb") as f:
        return f.read()


@pytest.fixture
def clinic(knowledge_base, practitioner, colleague, curator, admin_user) -> Practice:
    """A practice with two practitioners, clients with medicines and own supplements,
    consults with complaints and lines, an issued protocol with an acknowledgement and
    its PDF, a shared template, API tokens, a logo, curators' edits in the history of
    the knowledge base and an entry in the admin's log."""
    practice = PracticeFactory()
    practice.logo.save("logo.png", ContentFile(LOGO), save=True)
    PracticeMemberFactory(
        user=practitioner, practice=practice, agb_code="90012345", is_practice_admin=True
    )
    PracticeMemberFactory(user=colleague, practice=practice)

    magnesium = Nutrient.objects.get(slug="magnesium")
    tryptophan = Nutrient.objects.get(slug="tryptophan")
    bisglycinate = NutrientForm.objects.get(nutrient=magnesium, slug="bisglycinate")
    stress = Indication.objects.get(slug="stress")
    sleep = Indication.objects.get(slug="sleep-problems")

    # Curators' edits: a change, a reference added, a food source removed.
    magnesium._history_user = curator
    magnesium._change_reason = "Spelling"
    magnesium.description_en = f"{magnesium.description_en} (checked)"
    magnesium.save()
    magnesium.references.add(Reference.objects.exclude(nutrients=magnesium).first())
    FoodSource.objects.filter(nutrient__slug="glutamine").first().delete()

    sanne = client_create(
        practitioner=practitioner,
        practice=practice,
        first_name="Sanne",
        last_name="Mulder",
        date_of_birth=datetime.date(1985, 3, 14),
        email="sanne@example.nl",
        phone="06-12345678",
        address="Dorpsstraat 1\n1234 AB Ergens",
        notes="Slaapt slecht sinds de verhuizing.",
        medications=[
            MedicationInput(atc_code="N06AF03", name="fenelzine"),
            MedicationInput(atc_code="N05BA04"),
        ],
        own_supplements=[
            OwnSupplementInput(name="Magnesium van de drogist", nutrient=magnesium, dose="250 mg"),
            OwnSupplementInput(name="Visolie"),
        ],
    )
    consult = consult_create(
        client=sanne,
        practitioner=practitioner,
        date=datetime.date(2026, 11, 2),
        notes="Onrustig, piekert 's avonds.",
        complaints=[stress, sleep],
        lines=[
            LineInput(
                nutrient=magnesium,
                form=bisglycinate,
                dose_amount=Decimal("200"),
                dose_unit="mg",
                timing="evening",
                duration_weeks=8,
                instructions="Met water.",
            ),
            LineInput(nutrient=tryptophan, dose_amount=Decimal("500"), dose_unit="mg"),
        ],
    )
    issue(
        consult=consult,
        issued_by=practitioner,
        acknowledgements=[AcknowledgementInput("tryptophan", "Overlegd met de psychiater.")],
    )
    kees = client_create(
        practitioner=colleague,
        practice=practice,
        first_name="Kees",
        last_name="Bakker",
        date_of_birth=datetime.date(1970, 1, 2),
    )
    consult_create(
        client=kees,
        practitioner=colleague,
        pregnant=False,
        lines=[LineInput(nutrient=magnesium, dose_amount=Decimal("1.5"), dose_unit="g")],
    )

    template = ProtocolTemplate.objects.create(
        name="Stress en darm", owner=practitioner, practice=practice, shared=True
    )
    template.complaints.set([stress])
    TemplateLine.objects.create(
        template=template, nutrient=magnesium, form=bisglycinate, dose_amount=200, dose_unit="mg"
    )

    AuthToken.objects.create(user=practitioner)
    AuthToken.objects.create(user=colleague)
    admin_user.user_permissions.add(Permission.objects.get(codename="view_client"))
    LogEntry.objects.log_actions(
        user_id=admin_user.pk,
        queryset=[sanne],
        action_flag=CHANGE,
        change_message="Adres bijgewerkt.",
        single_object=True,
    )
    assert Protocol.objects.count() == 1
    assert User.objects.count() == 4
    return practice
