"""The protocol templates a practitioner may start consults from."""

import pytest
from django.urls import reverse

from tests.practice.views.conftest import make_template

URL = reverse("practice:template-list")


def test_it_redirects_anonymous_users_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_is_forbidden_to_users_who_are_not_practitioners(outsider_web):
    assert outsider_web.get(URL).status_code == 403


@pytest.mark.parametrize("count", [1, 5])
def test_it_lists_own_and_shared_templates_in_a_fixed_number_of_queries(
    web,
    knowledge_base,
    member,
    practitioner,
    colleague,
    colleague_member,
    practice,
    count,
    django_assert_num_queries,
):
    for number in range(count):
        make_template(
            practitioner, practice, f"Eigen {number}", lines=[("magnesium", "200"), ("zinc", "15")]
        )
    make_template(colleague, practice, "Gedeeld", shared=True, lines=[("melatonin", "1")])
    make_template(colleague, practice, "Privé van Bram", lines=[("saffron", "30")])
    # Queries: session, user, the user's roles (one query for the decorator and the
    # templates helper), the membership, the templates with their owners, their
    # complaints, their lines with nutrients and forms.
    with django_assert_num_queries(7):
        response = web.get(URL)
    assert response.status_code == 200
    names = [t.name for t in response.context["templates"]]
    assert names == [*(f"Eigen {n}" for n in range(count)), "Gedeeld"]
    content = response.content.decode()
    assert "Privé van Bram" not in content
    assert "Magnesium: 200 mg" in content
