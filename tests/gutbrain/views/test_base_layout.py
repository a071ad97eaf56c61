"""`templates/base.html`, the layout every staff page shares, and the login page on it."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
PAGE = reverse("gutbrain:topic-list")


def test_it_has_a_skip_link_to_the_main_landmark(staff_client):
    html = staff_client.get(PAGE).content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert html.count("<h1>") == 1


def test_it_shows_the_user_the_navigation_and_a_logout_that_posts(staff_client):
    html = staff_client.get(PAGE, headers={"accept-language": "en"}).content.decode()

    assert "Anna de Vries" in html
    assert f'<a href="{reverse("gutbrain:nutrient-list")}" aria-current="true">' in html
    logout = re.search(r'<form method="post" action="([^"]+)" class="inline-form">', html)
    assert logout and logout.group(1) == reverse("logout")
    assert 'name="csrfmiddlewaretoken"' in html


def test_its_language_switcher_posts_to_set_language_and_comes_back(staff_client):
    html = staff_client.get(PAGE).content.decode()

    assert f'action="{reverse("set_language")}"' in html
    assert f'<input type="hidden" name="next" value="{PAGE}">' in html
    assert 'name="language" value="en"' in html and 'name="language" value="nl"' in html
    assert re.search(
        r'value="nl" lang="nl"\s+class="language-button is-current" aria-current', html
    )

    response = staff_client.post(reverse("set_language"), {"language": "en", "next": PAGE})

    assert response.status_code == 302 and response.url == PAGE
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in staff_client.get(PAGE).content.decode()


def test_the_login_page_has_labelled_fields_and_no_staff_navigation(client):
    html = client.get(reverse("login"), headers={"accept-language": "en"}).content.decode()

    assert '<html lang="en">' in html
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert "Knowledge base" not in html
    assert "Log out" not in html
