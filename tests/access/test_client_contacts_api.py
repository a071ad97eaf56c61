"""`/api/v1/client-contacts/`: clients' contact details, for assistants (the clients of
the practitioners they assist) and practitioners (their own clients)."""

import pytest

from tests.factories import ClientFactory

FIELDS = {
    "id",
    "client_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "practitioner",
}


def test_an_assistant_lists_the_contact_details_of_the_assisted_practitioners_clients(
    api_as, assistant, sanne, pieter
):
    results = api_as(assistant).get("/api/v1/client-contacts/").json()["results"]
    assert [r["id"] for r in results] == [sanne.pk]
    assert set(results[0]) == FIELDS
    assert (results[0]["email"], results[0]["practitioner"]) == ("sanne@example.nl", "practitioner")


def test_the_details_hold_no_notes_and_no_medicines(api_as, assistant, sanne):
    body = api_as(assistant).get(f"/api/v1/client-contacts/{sanne.pk}/").json()
    assert set(body) == FIELDS
    assert "Slaapt" not in str(body)


def test_the_assistant_cannot_reach_the_whole_record(api_as, assistant, sanne):
    api = api_as(assistant)
    assert api.get(f"/api/v1/clients/{sanne.pk}/").status_code == 404
    assert api.get("/api/v1/clients/").json()["results"] == []
    assert (
        api.patch(f"/api/v1/clients/{sanne.pk}/", {"phone": "1"}, format="json").status_code == 404
    )


@pytest.mark.parametrize("role", ["other_assistant", "colleague", "curator"])
def test_others_get_404(api_as, request, sanne, role):
    api = api_as(request.getfixturevalue(role))
    assert api.get(f"/api/v1/client-contacts/{sanne.pk}/").status_code == 404


def test_the_contact_details_cannot_be_changed(api_as, assistant, sanne):
    response = api_as(assistant).patch(
        f"/api/v1/client-contacts/{sanne.pk}/", {"phone": "1"}, format="json"
    )
    assert response.status_code == 405


def test_the_list_reads_in_a_fixed_number_of_queries(
    api_as, assistant, owner, practice, sanne, django_assert_num_queries
):
    api = api_as(assistant)
    # 1 the token with its user, 2 the user's tokens (knox), 3 the roles, 4 the count, 5 the page of
    # clients with their practitioners
    with django_assert_num_queries(5):
        api.get("/api/v1/client-contacts/")
    ClientFactory.create_batch(5, practitioner=owner, practice=practice)
    with django_assert_num_queries(5):
        assert len(api.get("/api/v1/client-contacts/").json()["results"]) == 6


def test_the_details_read_in_a_fixed_number_of_queries(
    api_as, assistant, sanne, django_assert_num_queries
):
    api = api_as(assistant)
    # 1 the token with its user, 2 the user's tokens (knox), 3 the roles, 4 the client with the
    # practitioner, 5 the access log's newest hash, 6 the new entry
    with django_assert_num_queries(6):
        api.get(f"/api/v1/client-contacts/{sanne.pk}/")
