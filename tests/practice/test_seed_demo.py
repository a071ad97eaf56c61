"""`manage.py seed_demo`: the demo clinic `make run` prints the logins of."""

import io
import json

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.http import HttpRequest

from practice.models import Client, Practice, ProtocolTemplate


def seed(settings, tmp_path) -> str:
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_makes_the_demo_clinic_once_and_keeps_the_logins(knowledge_base, settings, tmp_path):
    printed = seed(settings, tmp_path)
    logins = json.loads((tmp_path / "demo-logins.json").read_text())
    assert set(logins) == {"therapeut", "collega", "assistent", "curator", "beheerder"}
    assert f"therapeut  {logins['therapeut']}" in printed

    seed(settings, tmp_path)  # a second `make run`: nothing doubled, same passwords
    assert json.loads((tmp_path / "demo-logins.json").read_text()) == logins
    assert Practice.objects.count() == 1
    assert Client.objects.count() == 1
    template = ProtocolTemplate.objects.get()
    assert (template.name, template.shared) == ("Stress en darm", True)
    assert [line.nutrient.slug for line in template.lines.all()] == [
        "magnesium",
        "ashwagandha",
        "probiotics",
        "glutamine",
    ]
    user = authenticate(HttpRequest(), username="therapeut", password=logins["therapeut"])
    assert user is not None and user.practice_member.is_practice_admin
