import datetime
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from gutbrain.models import Indication, Nutrient, NutrientForm
from practice import services
from practice.checking import check_consult
from practice.models import Client, Consult, Practice, PracticeMember, ProtocolTemplate
from practice.protocols import AcknowledgementInput, issue_protocol

DEMO_USERS = [
    # username, group, is_staff, is_superuser, first name, last name
    ("therapeut", "practitioner", False, False, "Anna", "de Vries"),
    ("collega", "practitioner", False, False, "Bram", "Jansen"),
    ("assistent", "assistant", False, False, "Carla", "Bakker"),
    ("curator", "curator", True, False, "Daan", "Visser"),
    ("beheerder", None, True, True, "Eva", "Smit"),
]

# (nutrient, form, amount, unit, frequency, timing, weeks)
Line = tuple[str, str | None, str, str, str, str, int | None]


@dataclass(frozen=True)
class DemoClient:
    practitioner: str
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    atc_codes: tuple[str, ...]
    consult_days_ago: int
    complaints: tuple[str, ...]
    lines: tuple[Line, ...]
    issued: bool = False


# Enough for a first look at the dashboard and a client's page: medicines the check has
# something to say about, consults on different days, one issued protocol. The medicines'
# intake times are left unknown, as a therapist often does not know them yet.
DEMO_CLIENTS = [
    DemoClient(
        "therapeut",
        "Sanne",
        "Mulder",
        datetime.date(1988, 5, 17),
        ("N05BA04", "H03AA01"),  # oxazepam, levothyroxine
        consult_days_ago=14,
        complaints=("stress", "anxious-feelings"),
        lines=(
            ("magnesium", "bisglycinate", "200", "mg", "once_daily", "bedtime", 8),
            ("ashwagandha", None, "300", "mg", "once_daily", "morning", 8),
            ("probiotics", None, "1", "capsule", "once_daily", "morning", 12),
        ),
        issued=True,
    ),
    DemoClient(
        "therapeut",
        "Lotte",
        "de Jong",
        datetime.date(1979, 3, 2),
        ("N06AB06",),  # sertraline
        consult_days_ago=6,
        complaints=("depressive-feelings-burnout", "sleep-problems"),
        lines=(
            ("saffron", None, "30", "mg", "once_daily", "morning", 8),
            ("magnesium", "citrate", "200", "mg", "once_daily", "evening", 8),
        ),
    ),
    DemoClient(
        "therapeut",
        "Mark",
        "Bos",
        datetime.date(1965, 11, 23),
        ("A10BA02", "C09AA03"),  # metformine, lisinopril
        consult_days_ago=1,
        complaints=("metabolic-syndrome", "chronic-fatigue"),
        lines=(
            ("mushrooms", None, "1", "capsule", "twice_daily", "with_meals", 12),
            ("prebiotics", "inulin", "5", "g", "once_daily", "morning", None),
        ),
    ),
    DemoClient(
        "collega",
        "Fatima",
        "El Amrani",
        datetime.date(1992, 8, 9),
        (),
        consult_days_ago=3,
        complaints=("food-hypersensitivity-complaints",),
        lines=(("glutamine", None, "5", "g", "once_daily", "between_meals", 8),),
    ),
]

TEMPLATE_LINES = [
    ("magnesium", "bisglycinate", "200", "mg", "once_daily", "evening", 8),
    ("ashwagandha", None, "300", "mg", "once_daily", "morning", 8),
    ("probiotics", None, "1", "capsule", "once_daily", "morning", 8),
    ("glutamine", None, "5", "g", "once_daily", "between_meals", 8),
]


class Command(BaseCommand):
    help = (
        "Create the demo users and the demo practice (once) and print the logins. Passwords "
        "are random, made on first run and kept in var/demo-logins.json, which git ignores. "
        "Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="Where the app is served, for the login address printed with the logins.",
        )
        parser.add_argument(
            "--logins",
            type=Path,
            default=None,
            help=(
                "The file that keeps the passwords (var/demo-logins.json by default): one per "
                "database, as `make cluster`'s PostgreSQL has demo users of its own."
            ),
        )

    def handle(self, *args, url: str, logins: Path | None, **options):
        path = logins or settings.VAR_DIR / "demo-logins.json"
        passwords: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
        with transaction.atomic():
            for username, group, is_staff, is_superuser, first, last in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "first_name": first,
                        "last_name": last,
                        "email": f"{username}@demo.gutbrain.nl",
                        "is_staff": is_staff,
                        "is_superuser": is_superuser,
                    },
                )
                if created or username not in passwords:
                    passwords[username] = secrets.token_urlsafe(9)
                    user.set_password(passwords[username])
                    user.save()
                if group:
                    user.groups.add(Group.objects.get(name=group))
            to_issue = _demo_clinic()
        # Each issue is a transaction of its own (`issue_protocol`), after the clinic's.
        for consult in to_issue:
            _issue_demo_protocol(consult)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(passwords, indent=2))
        path.chmod(0o600)
        self.stdout.write(f"\nDemo logins ({url.rstrip('/')}/accounts/login/):")
        for username, group, _staff, superuser, *_ in DEMO_USERS:
            role = "superuser" if superuser else group
            self.stdout.write(f"  {username:<10} {passwords[username]:<14} {role}")
        self.stdout.write("")


def _demo_clinic() -> list[Consult]:
    """The demo practice: two practitioners and an assistant, their clients with consults
    and a shared template. Each part is made only when it is missing. Answers the consults
    whose protocol is still to be issued."""
    practice, _ = Practice.objects.get_or_create(
        name="Praktijk Darm & Brein (demo)",
        defaults={
            "address": "Voorbeeldstraat 12\n3511 AB Utrecht",
            "phone": "030-1234567",
            "email": "info@darm-en-brein.example.nl",
            "agb_code": "90001234",
        },
    )
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["therapeut", "collega", "assistent"])
    }
    PracticeMember.objects.get_or_create(
        user=users["therapeut"], defaults={"practice": practice, "is_practice_admin": True}
    )
    PracticeMember.objects.get_or_create(user=users["collega"], defaults={"practice": practice})
    assistant, _ = PracticeMember.objects.get_or_create(
        user=users["assistent"], defaults={"practice": practice}
    )
    assistant.assists.add(users["therapeut"])
    to_issue = [_demo_client(practice, users[demo.practitioner], demo) for demo in DEMO_CLIENTS]
    therapist = users["therapeut"]
    if not ProtocolTemplate.objects.filter(owner=therapist, name="Stress en darm").exists():
        services.template_create(
            owner=therapist,
            practice=practice,
            name="Stress en darm",
            shared=True,
            lines=_line_inputs(TEMPLATE_LINES),
        )
    return [consult for consult in to_issue if consult is not None]


def _demo_client(practice: Practice, practitioner: User, demo: DemoClient) -> Consult | None:
    """The demo client with their consult; answers the consult when its protocol is still
    to be issued."""
    client = Client.objects.filter(
        practice=practice, first_name=demo.first_name, last_name=demo.last_name
    ).first()
    if client is None:
        client = services.client_create(
            practitioner=practitioner,
            practice=practice,
            first_name=demo.first_name,
            last_name=demo.last_name,
            date_of_birth=demo.date_of_birth,
            email=f"{demo.first_name}.{demo.last_name}@example.nl".lower().replace(" ", ""),
            medications=[services.MedicationInput(atc_code=code) for code in demo.atc_codes],
        )
    consult = Consult.objects.filter(client=client).order_by("date", "pk").first()
    if consult is None:
        consult = services.consult_create(
            client=client,
            practitioner=practitioner,
            date=timezone.localdate() - datetime.timedelta(days=demo.consult_days_ago),
            complaints=list(Indication.objects.filter(slug__in=demo.complaints)),
            lines=_line_inputs(demo.lines),
        )
    return consult if demo.issued and not consult.protocols.exists() else None


def _issue_demo_protocol(consult: Consult) -> None:
    # A nutrient the check advises against needs a written reason; the demo's lines have
    # none today, but the knowledge base may change.
    avoided = [r.nutrient for r in check_consult(consult).results if r.level == "avoid"]
    issue_protocol(
        consult=consult,
        issued_by=consult.practitioner,
        acknowledgements=[
            AcknowledgementInput(nutrient=slug, reason="Besproken met de huisarts (demo).")
            for slug in avoided
        ],
    )


def _line_inputs(lines: list[Line] | tuple[Line, ...]) -> list[services.LineInput]:
    nutrients = Nutrient.objects.in_bulk([line[0] for line in lines], field_name="slug")
    return [
        services.LineInput(
            nutrient=nutrients[slug],
            form=NutrientForm.objects.get(nutrient=nutrients[slug], slug=form) if form else None,
            dose_amount=Decimal(amount),
            dose_unit=unit,
            frequency=frequency,
            timing=timing,
            duration_weeks=weeks,
        )
        for slug, form, amount, unit, frequency, timing, weeks in lines
    ]
