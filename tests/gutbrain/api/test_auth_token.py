from datetime import datetime, timedelta

from django.utils import timezone
from knox.models import AuthToken

from tests.factories import PASSWORD, UserFactory

URL = "/api/v1/auth/token/"


def test_it_gives_a_token_for_good_credentials_with_its_expiry(api_client, practitioner):
    response = api_client.post(URL, {"username": "practitioner", "password": PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    stored = AuthToken.objects.get(user=practitioner)
    assert datetime.fromisoformat(body["expiry"]) == stored.expiry
    assert stored.expiry - timezone.now() > timedelta(hours=9, minutes=59)


def test_it_stores_only_a_hash_of_the_token(api_client, practitioner):
    token = api_client.post(URL, {"username": "practitioner", "password": PASSWORD}).json()

    stored = AuthToken.objects.get()
    assert token["token"] not in (stored.digest, stored.token_key)


def test_each_login_gives_a_new_token(api_client, practitioner):
    first = api_client.post(URL, {"username": "practitioner", "password": PASSWORD}).json()
    second = api_client.post(URL, {"username": "practitioner", "password": PASSWORD}).json()

    assert first["token"] != second["token"]
    assert AuthToken.objects.filter(user=practitioner).count() == 2


def test_the_token_authenticates_later_requests(api_client, practitioner):
    token = api_client.post(URL, {"username": "practitioner", "password": PASSWORD}).json()

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")

    assert api_client.get("/api/v1/nutrients/").status_code == 200


def test_it_answers_400_for_a_wrong_password(api_client, practitioner):
    response = api_client.post(
        URL, {"username": "practitioner", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert not AuthToken.objects.exists()


def test_it_answers_400_for_an_unknown_user(api_client, db):
    response = api_client.post(URL, {"username": "nobody", "password": PASSWORD})

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_it_answers_400_for_an_inactive_user(api_client, db):
    UserFactory(username="former", is_active=False)

    response = api_client.post(URL, {"username": "former", "password": PASSWORD})

    assert response.status_code == 400


def test_it_answers_400_naming_missing_credentials(api_client, db):
    response = api_client.post(URL, {"username": "practitioner"})

    assert response.status_code == 400
    assert list(response.json()) == ["password"]


def test_a_stale_token_does_not_stop_a_user_from_logging_in(api_client, practitioner):
    response = api_client.post(
        URL,
        {"username": "practitioner", "password": PASSWORD},
        HTTP_AUTHORIZATION="Token revoked",
    )

    assert response.status_code == 200
