"""The main menu (gutbrain/menu.py): the same links on every page a user may see, chosen by
the user's roles; and what each role's landing page offers."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client as WebClient
from django.urls import reverse

from practice.models import ProtocolTemplate
from tests.factories import (
    ClientFactory,
    ConsultFactory,
    NutrientFactory,
    PracticeFactory,
    PracticeMemberFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

KNOWLEDGE_BASE = ("Kennisbank", reverse("gutbrain:nutrient-list"))
CLIENTS = ("Cliënten", reverse("practice:client-list"))
TEMPLATES = ("Protocolsjablonen", reverse("practice:template-list"))
ADMINISTRATION = ("Beheer", reverse("admin:index"))

MENU = re.compile(r'<nav class="site-nav" aria-label="[^"]*">(.*?)</nav>', re.DOTALL)
LINK = re.compile(r'<a href="([^"]+)"(?: aria-current="([^"]+)")?>([^<]+)</a>')


def menu(response) -> list[tuple[str, str]]:
    """The menu's (label, address) pairs, in order; [] when the page has none."""
    assert response.status_code == 200, response
    found = MENU.search(response.content.decode())
    if found is None:
        return []
    return [(label.strip(), href) for href, _current, label in LINK.findall(found.group(1))]


def current(response) -> list[str]:
    """The labels of the menu links marked as where the user is."""
    found = MENU.search(response.content.decode())
    return [label.strip() for _href, mark, label in LINK.findall(found.group(1)) if mark]


@pytest.fixture
def clinic(practitioner) -> dict:
    """A practice with the practitioner, a client with a consult, and an assistant."""
    practice = PracticeFactory()
    PracticeMemberFactory(user=practitioner, practice=practice)
    client = ClientFactory(practitioner=practitioner, practice=practice)
    consult = ConsultFactory(client=client, date=datetime.date(2026, 11, 2))
    assistant = UserFactory(username="assistant")
    assistant.groups.add(Group.objects.get(name="assistant"))
    PracticeMemberFactory(user=assistant, practice=practice).assists.add(practitioner)
    return {"client": client, "consult": consult, "assistant": assistant}


@pytest.fixture
def knowledge() -> dict:
    return {"nutrient": NutrientFactory(slug="magnesium"), "topic": TopicFactory(slug="vagus")}


def browser(user: User) -> WebClient:
    web = WebClient()  # Dutch, the default
    web.force_login(user)
    return web


def everyones_pages(knowledge: dict) -> list[str]:
    return [
        reverse("practice:dashboard"),
        reverse("gutbrain:nutrient-list"),
        reverse("gutbrain:nutrient-detail", args=[knowledge["nutrient"].slug]),
        reverse("gutbrain:factor-map"),
        reverse("gutbrain:interaction-overview"),
        reverse("gutbrain:topic-list"),
        reverse("gutbrain:topic-detail", args=[knowledge["topic"].slug]),
        reverse("password_change"),
        reverse("password_change_done"),
    ]


def assert_same_menu_everywhere(user: User, pages: list[str], expected: list[tuple[str, str]]):
    web = browser(user)
    for page in pages:
        assert menu(web.get(page)) == expected, page


def test_a_practitioner_sees_the_same_menu_on_every_page(practitioner, clinic, knowledge):
    pages = [
        *everyones_pages(knowledge),
        reverse("practice:client-list"),
        reverse("practice:client-detail", args=[clinic["client"].pk]),
        reverse("practice:client-create"),
        reverse("practice:consult-detail", args=[clinic["consult"].pk]),
        reverse("practice:template-list"),
    ]

    assert_same_menu_everywhere(practitioner, pages, [KNOWLEDGE_BASE, CLIENTS, TEMPLATES])


def test_an_assistant_sees_the_same_menu_on_every_page(clinic, knowledge):
    pages = [
        *everyones_pages(knowledge),
        reverse("practice:client-list"),
        reverse("practice:client-detail", args=[clinic["client"].pk]),
    ]

    assert_same_menu_everywhere(clinic["assistant"], pages, [KNOWLEDGE_BASE, CLIENTS])


def test_a_curator_sees_the_same_menu_on_every_page_with_the_administration(curator, knowledge):
    assert_same_menu_everywhere(
        curator, everyones_pages(knowledge), [KNOWLEDGE_BASE, ADMINISTRATION]
    )


def test_a_user_without_a_role_sees_the_knowledge_base_only(outsider, knowledge):
    assert_same_menu_everywhere(outsider, everyones_pages(knowledge), [KNOWLEDGE_BASE])


def test_a_superuser_sees_every_link(admin_user, knowledge):
    assert_same_menu_everywhere(
        admin_user,
        everyones_pages(knowledge),
        [KNOWLEDGE_BASE, CLIENTS, TEMPLATES, ADMINISTRATION],
    )


def test_the_login_page_has_no_menu(client):
    assert menu(client.get(reverse("login"))) == []


def test_the_menu_marks_the_section_the_user_is_in(practitioner, clinic, knowledge):
    web = browser(practitioner)

    assert current(web.get(reverse("gutbrain:factor-map"))) == ["Kennisbank"]
    assert current(web.get(reverse("practice:client-detail", args=[clinic["client"].pk]))) == [
        "Cliënten"
    ]
    assert current(web.get(reverse("practice:template-list"))) == ["Protocolsjablonen"]
    template = ProtocolTemplate.objects.create(
        name="Stress", owner=practitioner, practice=clinic["client"].practice
    )
    for name in ("practice:template-update", "practice:template-delete"):
        assert current(web.get(reverse(name, args=[template.pk]))) == ["Protocolsjablonen"]
    assert current(web.get(reverse("practice:dashboard"))) == []


def test_the_menu_is_english_when_english_is_chosen(curator):
    web = browser(curator)
    web.cookies["django_language"] = "en"

    assert menu(web.get(reverse("practice:dashboard"))) == [
        ("Knowledge base", KNOWLEDGE_BASE[1]),
        ("Administration", ADMINISTRATION[1]),
    ]


def test_the_curators_landing_page_links_to_the_admin(curator):
    html = browser(curator).get(reverse("practice:dashboard")).content.decode()
    quick_links = html[html.index('class="quick-links"') :]

    assert f'href="{reverse("admin:index")}"' in quick_links
    assert "U beheert de kennisbank" in html
    assert "bedoeld voor behandelaars" not in html


def test_an_assistants_landing_page_offers_the_assisted_clients_without_calling_them_others(
    clinic,
):
    html = browser(clinic["assistant"]).get(reverse("practice:dashboard")).content.decode()

    assert "Cliënten van de behandelaars die u assisteert" in html
    assert "bedoeld voor behandelaars" not in html
    assert "contactgegevens en de uitgegeven protocollen" in html
    assert f'href="{reverse("admin:index")}"' not in html


def test_a_user_without_a_role_is_told_the_practice_pages_are_for_practitioners(outsider):
    html = browser(outsider).get(reverse("practice:dashboard")).content.decode()

    assert "bedoeld voor behandelaars" in html
