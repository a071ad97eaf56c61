"""`manage.py seed_demo`: the demo clinic `make run` prints the logins of."""

import io
import json

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.http import HttpRequest

from practice.models import (
    Client,
    ClientMedication,
    Consult,
    Practice,
    PracticeMember,
    Protocol,
    ProtocolTemplate,
    SupplementLine,
)


def seed(settings, tmp_path, *args) -> str:
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Practice, PracticeMember, Client, ClientMedication, Consult, SupplementLine]
    return {m.__name__: m.objects.count() for m in [*models, Protocol, ProtocolTemplate]}


def test_it_makes_the_demo_clinic_once_and_keeps_the_logins(knowledge_base, settings, tmp_path):
    printed = seed(settings, tmp_path)
    logins = json.loads((tmp_path / "demo-logins.json").read_text())
    assert set(logins) == {"therapeut", "collega", "assistent", "curator", "beheerder"}
    assert f"therapeut  {logins['therapeut']}" in printed
    made = counts()

    seed(settings, tmp_path)  # a second `make run`: nothing doubled, same passwords

    assert json.loads((tmp_path / "demo-logins.json").read_text()) == logins
    assert counts() == made
    assert Practice.objects.count() == 1
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


def test_its_clinic_has_clients_with_medicines_consults_and_an_issued_protocol(
    knowledge_base, settings, tmp_path
):
    seed(settings, tmp_path)

    clients = Client.objects.order_by("pk")
    assert 3 <= clients.count() <= 4
    assert {c.practitioner.username for c in clients} == {"therapeut", "collega"}
    medications = ClientMedication.objects.all()
    assert medications.count() >= 3
    # The intake times are left for the therapist to fill in.
    assert all(m.intake_times == [] for m in medications)
    assert all(Consult.objects.filter(client=c, lines__isnull=False).exists() for c in clients)
    protocol = Protocol.objects.get()
    assert protocol.consult.client.full_name == "Sanne Mulder"
    assert protocol.version == 1


def test_its_assistant_assists_the_first_practitioner(knowledge_base, settings, tmp_path):
    seed(settings, tmp_path)

    assistant = PracticeMember.objects.get(user__username="assistent")
    assert [u.username for u in assistant.assists.all()] == ["therapeut"]


def test_it_prints_the_login_address_it_is_given(knowledge_base, settings, tmp_path):
    printed = seed(settings, tmp_path, "--url", "http://127.0.0.1:8123/")

    assert "Demo logins (http://127.0.0.1:8123/accounts/login/):" in printed


def test_the_logins_go_to_the_file_named(knowledge_base, settings, tmp_path):
    """`make cluster` keeps its database's passwords beside it, apart from `make run`'s."""
    printed = seed(settings, tmp_path, "--logins", str(tmp_path / "cluster" / "logins.json"))

    logins = json.loads((tmp_path / "cluster" / "logins.json").read_text())
    assert f"therapeut  {logins['therapeut']}" in printed
    assert not (tmp_path / "demo-logins.json").exists()
