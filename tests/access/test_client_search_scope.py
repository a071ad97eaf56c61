"""A search of the client list looks among the clients the user may see, and no further."""

from django.urls import reverse

from tests.factories import ClientFactory

URL = reverse("practice:client-list")


def names(response) -> list[str]:
    return [c.last_name for c in response.context["page"].object_list]


def test_an_assistants_search_finds_the_assisted_practitioners_clients_only(
    client, assistant, sanne, pieter
):
    client.force_login(assistant)
    assert names(client.get(URL, {"q": "mulder"})) == ["Mulder"]
    assert names(client.get(URL, {"q": "bakker"})) == []
    assert names(client.get(URL, {"q": "p"})) == []


def test_a_superusers_search_finds_every_practitioners_clients(
    client, superuser, sanne, pieter, practice, owner
):
    ClientFactory(practitioner=owner, practice=practice, last_name="Baas")
    client.force_login(superuser)
    assert names(client.get(URL, {"q": "ba"})) == ["Baas", "Bakker"]
    assert names(client.get(URL, {"q": "ba", "page": 5})) == ["Baas", "Bakker"]
