"""/admin/login/: the same lockout as the staff login, counted together with it."""

from tests.factories import PASSWORD, UserFactory

URL = "/admin/login/"


def fail(client, times: int, url: str = URL):
    for _ in range(times):
        response = client.post(url, {"username": "boss", "password": "wrong"})
    return response


def test_four_failures_leave_the_right_password_working(english, db):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    assert fail(english, 4).status_code == 200

    response = english.post(URL, {"username": "boss", "password": PASSWORD})

    assert response.status_code == 302
    assert english.get("/admin/").status_code == 200


def test_the_fifth_failure_locks_the_admin_out(english, db):
    UserFactory(username="boss", is_staff=True, is_superuser=True)

    response = fail(english, 5)

    assert response.status_code == 429
    assert "Account locked" in response.content.decode()


def test_a_locked_out_admin_is_refused_even_with_the_right_password(english, db):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    fail(english, 5)

    response = english.post(URL, {"username": "boss", "password": PASSWORD})

    assert response.status_code == 429
    assert english.get("/admin/").status_code == 302


def test_failures_on_the_staff_login_count_here_too(english, db):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    fail(english, 3, url="/accounts/login/")
    fail(english, 1)

    assert fail(english, 1).status_code == 429
