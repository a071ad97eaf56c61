import json
import secrets

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

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
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(logins, indent=2))
        path.chmod(0o600)
        self.stdout.write("\nDemo logins (http://127.0.0.1:8000/accounts/login/):")
        for username, group, _staff, superuser, *_ in DEMO_USERS:
            role = "superuser" if superuser else group
            self.stdout.write(f"  {username:<10} {logins[username]:<14} {role}")
        self.stdout.write("")
