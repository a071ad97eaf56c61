"""The cast of the access tests, one user per role, in one practice:

- `owner` (Anna, the shared cast's `practitioner`): treats `sanne`, who has a consult with
  an issued protocol; owns a protocol template; a practice admin; staff, so that the
  admin's narrowing shows.
- `colleague` (Bram): a practitioner of the same practice, with a client of his own
  (`pieter`); staff too.
- `assistant`: assists the owner. `other_assistant`: assists the colleague.
- `curator` (the shared cast's) and `superuser` (pytest-django's `admin_user`).
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.test import Client as WebClient
from django.test import RequestFactory
from knox.models import AuthToken
from rest_framework.test import APIClient

from cdshooks.models import CallOutcome, CdsCall, CdsClient
from gutbrain.models import Nutrient
from practice import accesslog
from practice.models import (
    AccessAction,
    Client,
    Consult,
    Practice,
    Protocol,
    ProtocolTemplate,
)
from tests.conftest import make_colleague, make_curator, make_practitioner, make_superuser
from tests.factories import (
    ClientFactory,
    ClientMedicationFactory,
    ConsultFactory,
    PracticeFactory,
    PracticeMemberFactory,
    SupplementLineFactory,
    UserFactory,
    api_token,
    issue,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Issued PDFs go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _in_group(user: User, name: str) -> User:
    user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


# The cast, as functions for a module that makes it once (`build_world`) and as fixtures.


def owner_in(practitioner: User, practice: Practice) -> User:
    practitioner.is_staff = True
    practitioner.save(update_fields=["is_staff"])
    PracticeMemberFactory(user=practitioner, practice=practice, is_practice_admin=True)
    return practitioner


def colleague_in(colleague: User, practice: Practice) -> User:
    colleague.is_staff = True
    colleague.save(update_fields=["is_staff"])
    PracticeMemberFactory(user=colleague, practice=practice)
    return colleague


def _assistant(username: str, practice: Practice, assists: User) -> User:
    user = _in_group(UserFactory(username=username), "assistant")
    member = PracticeMemberFactory(user=user, practice=practice)
    member.assists.add(assists)
    return user


def sanne_of(owner: User, practice: Practice) -> Client:
    client = ClientFactory(
        practitioner=owner,
        practice=practice,
        client_number="00042",
        first_name="Sanne",
        last_name="Mulder",
        date_of_birth=datetime.date(1985, 3, 14),
        email="sanne@example.nl",
        phone="06-12345678",
        address="Dorpsstraat 1\n1234 AB Ergens",
        notes="Slaapt slecht sinds de verhuizing.",
    )
    ClientMedicationFactory(client=client, atc_code="N05BA04", name="oxazepam")
    return client


def pieter_of(colleague: User, practice: Practice) -> Client:
    return ClientFactory(
        practitioner=colleague, practice=practice, first_name="Pieter", last_name="Bakker"
    )


def consult_of(sanne: Client) -> Consult:
    consult = ConsultFactory(
        client=sanne, date=datetime.date(2026, 11, 2), notes="Stress op het werk."
    )
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="magnesium"))
    return consult


def template_of(owner: User, practice: Practice) -> ProtocolTemplate:
    return ProtocolTemplate.objects.create(name="Stress en darm", owner=owner, practice=practice)


@pytest.fixture
def practice(db) -> Practice:
    return PracticeFactory()


@pytest.fixture
def owner(practitioner, practice) -> User:
    return owner_in(practitioner, practice)


@pytest.fixture
def colleague(colleague, practice) -> User:
    return colleague_in(colleague, practice)


@pytest.fixture
def make_assistant() -> Callable[[str, Practice, User], User]:
    """An assistant (username, practice) assisting the given practitioner."""
    return _assistant


@pytest.fixture
def assistant(owner, practice) -> User:
    return _assistant("assistant", practice, owner)


@pytest.fixture
def other_assistant(colleague, practice) -> User:
    return _assistant("other-assistant", practice, colleague)


@pytest.fixture
def superuser(admin_user) -> User:
    return admin_user


@pytest.fixture
def sanne(owner, practice) -> Client:
    return sanne_of(owner, practice)


@pytest.fixture
def pieter(colleague, practice) -> Client:
    return pieter_of(colleague, practice)


@pytest.fixture
def consult(knowledge_base, sanne) -> Consult:
    return consult_of(sanne)


@pytest.fixture
def protocol(consult, owner) -> Protocol:
    return issue(consult=consult, issued_by=owner)


@pytest.fixture
def template(owner, practice) -> ProtocolTemplate:
    return template_of(owner, practice)


@pytest.fixture
def web_as() -> Callable[[User | None], WebClient]:
    """A browser logged in as the user (anonymous for None)."""

    def make(user: User | None) -> WebClient:
        browser = WebClient(headers={"user-agent": "Testbrowser/1.0"})
        if user is not None:
            browser.force_login(user)
        return browser

    return make


@pytest.fixture
def api_as() -> Callable[[User | None], APIClient]:
    """An integration of `user`, sending its token: each request loads the user afresh."""

    def make(user: User | None) -> APIClient:
        client = APIClient(headers={"user-agent": "Testclient/1.0"})
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
        return client

    return make


@pytest.fixture
def request_by(rf: RequestFactory) -> Callable[..., object]:
    """A request of the staff pages by `user`, for logging outside a view."""

    def make(user: User, path: str = "/clients/1/", **meta):
        request = rf.get(path, **meta)
        request.user = user
        return request

    return make


@dataclass(frozen=True)
class World:
    """Everyone and one record of each kind, for the tests that walk every URL."""

    users: dict[str, User | None]
    client: Client
    consult: Consult
    protocol: Protocol
    template: ProtocolTemplate
    pieter: Client  # the colleague's client
    objects: dict[str, Model]

    def values(self, route_key: str) -> tuple[dict[str, object], tuple]:
        """The converters' values (and unnamed groups') of a route: the owner's records,
        and a record of each knowledge-base and admin model."""
        pk = None
        path = route_key.removeprefix("api/v1/").removeprefix("^")
        for prefix, obj in (
            ("clients/", self.client),
            ("client-contacts/", self.client),
            ("consults/", self.consult),
            ("protocols/", self.protocol),
            ("templates/", self.template),
            ("evidence/", self.objects["gutbrain.evidencesummary"]),
            ("interactions/", self.objects["gutbrain.interaction"]),
        ):
            if path.startswith(prefix):
                pk = obj.pk
        values = {
            "pk": pk,
            # DRF's suffix converter takes the dot with it; the regex groups do not.
            "format": ".json" if "<drf_format_suffix:" in route_key else "json",
            "atc_code": self.objects["gutbrain.medicine"].atc_code,
            "number": self.objects["gutbrain.reference"].number,
            "app_label": "practice",
            "url": "no-such-page/",
            "content_type_id": ContentType.objects.get_for_model(Client).pk,
            "id": self.users["owner"].pk,
        }
        if path.startswith("cds-services/"):
            values["pk"] = values["id"] = "gutbrain-order-sign"
        for prefix, label in (
            ("nutrients/", "gutbrain.nutrient"),
            ("indications/", "gutbrain.indication"),
            ("medicine-classes/", "gutbrain.medicineclass"),
            ("topics/", "gutbrain.topic"),
            ("kennisbank/nutrienten/", "gutbrain.nutrient"),
            ("kennisbank/onderwerpen/", "gutbrain.topic"),
        ):
            if path.startswith(prefix):
                values["slug"] = self.objects[label].slug
        positional: tuple = ()
        match = ADMIN_MODEL_ROUTE.match(route_key)
        if match and f"{match['app']}.{match['model']}" in self.objects:
            obj = self.objects[f"{match['app']}.{match['model']}"]
            values["object_id"] = obj.pk
            if "history/([^/]+)" in route_key:
                positional = (obj.pk, obj.history.order_by("-history_id").first().history_id)
        elif route_key.startswith("admin/r/"):
            values["object_id"] = self.client.pk
        return values, positional

    def api_path(self, schema_path: str) -> str:
        """A path of the schema (`/api/v1/clients/{id}/`) with the owner's records."""
        values, _ = self.values(schema_path.lstrip("/"))
        return re.sub(
            r"\{(\w+)\}",
            lambda m: str(values["pk" if m.group(1) == "id" else m.group(1)]),
            schema_path,
        )


ADMIN_MODEL_ROUTE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")


@pytest.fixture
def world(
    knowledge_base,
    owner,
    colleague,
    assistant,
    other_assistant,
    curator,
    superuser,
    sanne,
    pieter,
    protocol,
    template,
) -> World:
    users = {
        "owner": owner,
        "colleague": colleague,
        "assistant": assistant,
        "other_assistant": other_assistant,
        "curator": curator,
        "superuser": superuser,
    }
    return make_world(users, sanne, pieter, protocol, template)


def build_world() -> World:
    """The whole cast and `world`, made outside a test (for a module that makes it once)."""
    practice = PracticeFactory()
    owner = owner_in(make_practitioner(), practice)
    colleague = colleague_in(make_colleague(), practice)
    users = {
        "owner": owner,
        "colleague": colleague,
        "assistant": _assistant("assistant", practice, owner),
        "other_assistant": _assistant("other-assistant", practice, colleague),
        "curator": make_curator(),
        "superuser": make_superuser(),
    }
    sanne = sanne_of(owner, practice)
    protocol = issue(consult=consult_of(sanne), issued_by=owner)
    return make_world(
        users, sanne, pieter_of(colleague, practice), protocol, template_of(owner, practice)
    )


def make_world(
    users: dict[str, User],
    sanne: Client,
    pieter: Client,
    protocol: Protocol,
    template: ProtocolTemplate,
) -> World:
    owner = users["owner"]
    consult = protocol.consult
    request = RequestFactory().get("/clients/1/")
    request.user = owner
    entry = accesslog.record(request, action=AccessAction.READ, obj=sanne)
    AccessAttempt.objects.create(
        username="mallory", ip_address="192.0.2.1", user_agent="x", failures_since_start=1
    )
    AccessLog.objects.create(username="anna", ip_address="192.0.2.1", user_agent="x")
    AccessFailureLog.objects.create(username="mallory", ip_address="192.0.2.1", user_agent="x")
    owner_token, _ = AuthToken.objects.create(user=owner)
    ehr = CdsClient.objects.create(
        name="EPD",
        issuer="https://epd.example/",
        public_key=ec.generate_private_key(ec.SECP384R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode(),
    )
    ehr_call = CdsCall.objects.create(
        client=ehr,
        issuer=ehr.issuer,
        service="gutbrain-order-sign",
        hook="order-sign",
        outcome=CallOutcome.CARDS,
        status_code=200,
        cards=1,
    )
    objects: dict[str, Model] = {
        f"gutbrain.{model._meta.model_name}": model._default_manager.order_by("pk").first()
        for model in apps.get_app_config("gutbrain").get_models()
        if not model._meta.model_name.startswith("historical")
    }
    for obj in objects.values():
        obj.save()  # a history record, for the admin's history pages
    objects.update(
        {
            "practice.practice": sanne.practice,
            "practice.practicemember": owner.practice_member,
            "practice.client": sanne,
            "practice.consult": consult,
            "practice.protocol": protocol,
            "practice.protocoltemplate": template,
            "practice.accesslogentry": entry,
            "auth.user": owner,
            "auth.group": Group.objects.get(name="practitioner"),
            "axes.accessattempt": AccessAttempt.objects.get(),
            "axes.accesslog": AccessLog.objects.get(),
            "axes.accessfailurelog": AccessFailureLog.objects.get(),
            "knox.authtoken": owner_token,
            "cdshooks.cdsclient": ehr,
            "cdshooks.cdscall": ehr_call,
        }
    )
    return World({"anonymous": None, **users}, sanne, consult, protocol, template, pieter, objects)
