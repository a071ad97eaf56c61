"""Editing a protocol template: its name and lines, by its owner or an admin of the
practice; whether it is shared, by a practice admin only."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from practice.models import ProtocolTemplate
from tests.practice.views.conftest import make_template
from tests.practice.views.formdata import formset, line
from tests.practice.views.texts import nl


def url(template: ProtocolTemplate) -> str:
    return reverse("practice:template-update", args=[template.pk])


def template_data(name: str, lines: list[dict], *, initial: int = 0, **fields) -> dict:
    return {"name": name, "action": "save", **fields, **formset("lines", lines, initial=initial)}


def saved_lines(template: ProtocolTemplate) -> list[tuple]:
    return list(
        template.lines.order_by("order").values_list("nutrient__slug", "dose_amount", "order")
    )


@pytest.fixture
def own_template(knowledge_base, practitioner, member, practice):
    return make_template(
        practitioner, practice, "Slaap", lines=[("melatonin", "1"), ("magnesium", "200")]
    )


@pytest.fixture
def admin_member(member):
    member.is_practice_admin = True
    member.save()
    return member


def test_it_redirects_anonymous_users_to_the_login_page(client, own_template):
    response = client.get(url(own_template))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("lines", [1, 5])
def test_the_form_shows_the_lines_in_a_fixed_number_of_queries(
    web, knowledge_base, practitioner, member, practice, lines, django_assert_num_queries
):
    slugs = ["melatonin", "magnesium", "zinc", "saffron", "theanine"][:lines]
    template = make_template(practitioner, practice, "Slaap", lines=[(s, "1") for s in slugs])
    web.get(url(template))  # a process's first page reads the nutrients and forms (+2)
    # Queries: session, user, the user's roles (one query for the decorator and the
    # templates helper), the membership, the template with its owner, its lines with
    # nutrients and forms, the knowledge base's version (the published nutrients and their
    # forms are kept in the process).
    with django_assert_num_queries(7):
        response = web.get(url(template))
    assert response.status_code == 200
    assert len(response.context["lines"].forms) == lines + 1
    content = response.content.decode()
    assert 'value="Slaap"' in content
    assert "data-line-template" in content  # the empty line the page's script clones
    assert 'name="shared"' not in content  # not a practice admin


def test_the_owner_renames_it_and_replaces_its_lines(web, own_template):
    data = template_data(
        "Slaap en onrust",
        [line("melatonin", "1", DELETE="on"), line("magnesium", "300"), line("saffron", "30")],
        initial=2,
    )
    response = web.post(url(own_template), data, follow=True)
    assert response.redirect_chain == [(reverse("practice:template-list"), 302)]
    assert nl("The template “%(name)s” has been saved.", name="Slaap en onrust") in (
        response.content.decode()
    )
    own_template.refresh_from_db()
    assert own_template.name == "Slaap en onrust"
    assert saved_lines(own_template) == [
        ("magnesium", Decimal("300"), 1),
        ("saffron", Decimal("30"), 2),
    ]


def test_a_practitioner_who_is_not_an_admin_cannot_share_it_by_posting(web, own_template):
    data = template_data("Slaap", [line("melatonin", "1")], initial=1, shared="on")
    assert web.post(url(own_template), data).status_code == 302
    own_template.refresh_from_db()
    assert not own_template.shared


def test_editing_keeps_a_shared_template_shared_when_the_owner_may_not_share(web, own_template):
    own_template.shared = True
    own_template.save()
    content = web.get(url(own_template)).content.decode()
    # {% translate %} leaves the apostrophe of "collega's" as it is.
    shared_note = nl(
        "This template is shared with the whole practice: what you change here is what "
        "your colleagues start their consults from."
    )
    assert html.unescape(shared_note) in content
    web.post(url(own_template), template_data("Slaap", [line("melatonin", "1")], initial=1))
    own_template.refresh_from_db()
    assert own_template.shared


def test_a_practice_admin_shares_and_unshares_it_on_the_form(web, admin_member, own_template):
    assert 'name="shared"' in web.get(url(own_template)).content.decode()
    web.post(url(own_template), template_data("Slaap", [line("melatonin", "1")], shared="on"))
    own_template.refresh_from_db()
    assert own_template.shared
    web.post(url(own_template), template_data("Slaap", [line("melatonin", "1")]))
    own_template.refresh_from_db()
    assert not own_template.shared


def test_a_practice_admin_edits_a_colleagues_template(
    web, admin_member, knowledge_base, colleague, colleague_member, practice
):
    brams = make_template(colleague, practice, "Darm", lines=[("glutamine", "5")])
    web.post(url(brams), template_data("Darm", [line("glutamine", "10")], initial=1))
    assert saved_lines(brams) == [("glutamine", Decimal("10"), 1)]


def test_a_colleague_may_use_a_shared_template_but_not_edit_it(colleague_web, own_template):
    own_template.shared = True
    own_template.save()
    assert colleague_web.get(url(own_template)).status_code == 403
    data = template_data("Gekaapt", [line("zinc")], initial=2)
    assert colleague_web.post(url(own_template), data).status_code == 403
    own_template.refresh_from_db()
    assert own_template.name == "Slaap"


def test_a_colleague_gets_404_for_a_private_template(colleague_web, own_template):
    assert colleague_web.get(url(own_template)).status_code == 404


def test_users_who_are_not_practitioners_are_forbidden(outsider_web, own_template):
    assert outsider_web.get(url(own_template)).status_code == 403


def test_a_name_the_owner_already_uses_is_refused_beside_the_name(
    web, own_template, practitioner, practice
):
    make_template(practitioner, practice, "Darm", lines=[("glutamine", "5")])
    response = web.post(url(own_template), template_data("darm", [line("zinc")], initial=2))
    assert response.status_code == 200
    content = response.content.decode()
    assert nl("You already have a template with this name.") in content
    assert 'href="#id_name"' in content
    own_template.refresh_from_db()
    assert own_template.name == "Slaap"
    assert "Slaap" in response.context["saved_name"]


def test_a_template_without_lines_is_refused(web, own_template):
    data = template_data(
        "Slaap", [line("melatonin", DELETE="on"), line("magnesium", DELETE="on")], initial=2
    )
    response = web.post(url(own_template), data)
    assert response.status_code == 200
    assert nl("A template needs at least one supplement line.") in response.content.decode()
    assert len(saved_lines(own_template)) == 2


def test_a_wrong_dose_saves_nothing_and_is_shown_with_its_line(web, own_template):
    data = template_data("Slaap", [line("melatonin", "0"), line("magnesium")], initial=2)
    response = web.post(url(own_template), data)
    assert response.status_code == 200
    assert 'href="#id_lines-0-dose_amount"' in response.content.decode()
    assert saved_lines(own_template)[0] == ("melatonin", Decimal("1"), 1)


def test_add_a_line_without_javascript_shows_one_more_and_no_errors(web, own_template):
    data = template_data("", [line("melatonin", ""), line("magnesium")], initial=2)
    data["action"] = "add_line"
    response = web.post(url(own_template), data)
    assert response.status_code == 200
    assert len(response.context["lines"].forms) == 3
    content = response.content.decode()
    assert 'class="error-summary"' not in content
    assert 'aria-invalid="true"' not in content
    own_template.refresh_from_db()
    assert own_template.name == "Slaap"
