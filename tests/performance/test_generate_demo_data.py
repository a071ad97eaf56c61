"""`manage.py generate_demo_data`: made-up clients and consults in bulk."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.utils import timezone

from gutbrain.models import Nutrient
from practice.access import is_practitioner
from practice.models import Client, ClientMedication, Consult, SupplementLine


def generate(**options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_demo_data", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_it_refuses_an_empty_knowledge_base(db):
    with pytest.raises(CommandError, match="load_knowledge_base"):
        generate(clients=5)
    assert not Client.objects.exists()


def test_it_makes_the_clients_and_consults_asked_for(knowledge_base):
    out, err = generate(clients=30, consults_per_client=3, practitioners=2, batch_size=7)

    assert Client.objects.count() == 30
    assert Consult.objects.count() == 90
    assert set(Client.objects.annotate(n=Count("consults")).values_list("n", flat=True)) == {3}
    assert "Added 30 clients, 90 consults" in out
    assert "100% 30/30 clients" in err


def test_every_consult_has_lines_of_published_nutrients_with_their_own_forms(knowledge_base):
    generate(clients=20, consults_per_client=2, practitioners=1)

    per_consult = Consult.objects.annotate(n=Count("lines")).values_list("n", flat=True)
    assert min(per_consult) >= 2
    published = set(Nutrient.objects.published().values_list("pk", flat=True))
    for line in SupplementLine.objects.select_related("form"):
        assert line.nutrient_id in published
        assert line.form is None or line.form.nutrient_id == line.nutrient_id
        line.full_clean()
    assert Consult.objects.filter(complaints__isnull=False).distinct().count() == 40


def test_the_people_are_plausible(knowledge_base):
    generate(clients=200, consults_per_client=2, practitioners=3)
    today = timezone.localdate()

    last_names = set(Client.objects.values_list("last_name", flat=True))
    assert any(name.startswith(("van der ", "van den ")) for name in last_names)
    assert any(name.startswith("de ") for name in last_names)
    for client in Client.objects.all():
        assert 18 <= (today - client.date_of_birth).days // 365 <= 86
        client.full_clean()
    assert Consult.objects.filter(date__gt=today).count() == 0
    assert ClientMedication.objects.exists()


def test_consults_belong_to_the_clients_practitioner_who_is_a_practitioner(knowledge_base):
    generate(clients=25, consults_per_client=2, practitioners=3)

    practitioners = User.objects.filter(username__startswith="demo-therapeut-")
    assert practitioners.count() == 3
    assert all(is_practitioner(user) and not user.has_usable_password() for user in practitioners)
    assert all(user.practice_member for user in practitioners)
    assert not Consult.objects.exclude(practitioner=F("client__practitioner")).exists()
    assert not Client.objects.exclude(practice=F("practitioner__practice_member__practice"))


def test_a_second_run_adds_clients_with_new_numbers(knowledge_base):
    generate(clients=15, consults_per_client=1, practitioners=2)
    generate(clients=15, consults_per_client=1, practitioners=2)

    assert Client.objects.count() == 30
    assert Client.objects.values("client_number").distinct().count() == 30
    assert User.objects.filter(username__startswith="demo-therapeut-").count() == 2


def test_the_same_seed_makes_the_same_people(knowledge_base):
    generate(clients=10, consults_per_client=1, seed=7)
    generate(clients=10, consults_per_client=1, seed=7)
    generate(clients=10, consults_per_client=1, seed=8)

    names = list(Client.objects.order_by("pk").values_list("first_name", "last_name"))
    assert names[:10] == names[10:20]
    assert names[:10] != names[20:]
