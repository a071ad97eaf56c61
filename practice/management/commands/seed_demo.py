import datetime
import json
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from gutbrain.models import Nutrient, NutrientForm
from practice import services
from practice.models import Client, Practice, PracticeMember, ProtocolTemplate

DEMO_USERS = [
    # username, group, is_staff, is_superuser, first name, last name
    ("therapeut", "practitioner", False, False, "Anna", "de Vries"),
    ("collega", "practitioner", False, False, "Bram", "Jansen"),
    ("assistent", "assistant", False, False, "Carla", "Bakker"),
    ("curator", "curator", True, False, "Daan", "Visser"),
    ("beheerder", None, True, True, "Eva", "Smit"),
]


class Command(BaseCommand):
    help = (
        "Create the demo users (once) and print their logins. Passwords are random, made on "
        "first run and kept in var/demo-logins.json, which git ignores."
    )

    def handle(self, *args, **options):
        path = settings.VAR_DIR / "demo-logins.json"
        logins: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
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
                if created or username not in logins:
                    logins[username] = secrets.token_urlsafe(9)
                    user.set_password(logins[username])
                    user.save()
                if group:
                    user.groups.add(Group.objects.get(name=group))
            self._demo_clinic()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(logins, indent=2))
        path.chmod(0o600)
        self.stdout.write("\nDemo logins (http://127.0.0.1:8000/accounts/login/):")
        for username, group, _staff, superuser, *_ in DEMO_USERS:
            role = "superuser" if superuser else group
            self.stdout.write(f"  {username:<10} {logins[username]:<14} {role}")
        self.stdout.write("")

    def _demo_clinic(self) -> None:
        """The demo practice, its practitioners, one client and a shared template (once)."""
        practice, _ = Practice.objects.get_or_create(
            name="Praktijk Darm & Brein (demo)",
            defaults={
                "address": "Voorbeeldstraat 12\n3511 AB Utrecht",
                "phone": "030-1234567",
                "email": "info@darm-en-brein.example.nl",
                "agb_code": "90001234",
            },
        )
        therapist = User.objects.get(username="therapeut")
        PracticeMember.objects.get_or_create(
            user=therapist, defaults={"practice": practice, "is_practice_admin": True}
        )
        PracticeMember.objects.get_or_create(
            user=User.objects.get(username="collega"), defaults={"practice": practice}
        )
        if not Client.objects.filter(practice=practice).exists():
            services.client_create(
                practitioner=therapist,
                practice=practice,
                first_name="Sanne",
                last_name="Mulder",
                date_of_birth=datetime.date(1988, 5, 17),
                email="sanne.mulder@example.nl",
                medications=[
                    services.MedicationInput(atc_code="N05BA04"),
                    services.MedicationInput(atc_code="H03AA01"),
                ],
            )
        if not ProtocolTemplate.objects.filter(owner=therapist, name="Stress en darm").exists():
            lines = [
                ("magnesium", "bisglycinate", "200", "mg", "evening"),
                ("ashwagandha", None, "300", "mg", "morning"),
                ("probiotics", None, "1", "capsule", "morning"),
                ("glutamine", None, "5", "g", "between_meals"),
            ]
            nutrients = Nutrient.objects.in_bulk([line[0] for line in lines], field_name="slug")
            services.template_create(
                owner=therapist,
                practice=practice,
                name="Stress en darm",
                shared=True,
                lines=[
                    services.LineInput(
                        nutrient=nutrients[slug],
                        form=NutrientForm.objects.get(nutrient=nutrients[slug], slug=form)
                        if form
                        else None,
                        dose_amount=Decimal(amount),
                        dose_unit=unit,
                        timing=timing,
                        duration_weeks=8,
                    )
                    for slug, form, amount, unit, timing in lines
                ],
            )
