"""Deleting a protocol template asks first, on a page of its own that says plainly when
the whole practice uses the template; the list links to that page."""

import html

import pytest
from django.urls import reverse

from practice.models import ProtocolTemplate
from tests.practice.views.conftest import make_template
from tests.practice.views.texts import nl


def url(template: ProtocolTemplate) -> str:
    return reverse("practice:template-delete", args=[template.pk])


@pytest.fixture
def own_template(knowledge_base, practitioner, member, practice):
    return make_template(practitioner, practice, "Slaap", lines=[("melatonin", "1")])


def test_the_page_asks_and_deletes_nothing(web, own_template, django_assert_num_queries):
    # Queries: session, user, the user's roles, the membership, the template with its
    # owner.
    with django_assert_num_queries(5):
        response = web.get(url(own_template))
    assert response.status_code == 200
    content = response.content.decode()
    assert nl("Delete the template “%(name)s”?", name="Slaap") in content
    assert nl("This template is shared with the whole practice.") not in content
    assert ProtocolTemplate.objects.filter(pk=own_template.pk).exists()


def test_a_shared_template_says_the_practice_loses_it_too(web, own_template):
    own_template.shared = True
    own_template.save()
    content = web.get(url(own_template)).content.decode()
    assert nl("This template is shared with the whole practice.") in content
    assert (
        html.unescape(
            nl("Once it is deleted, none of your colleagues can start a consult from it either.")
        )
        in content
    )


def test_a_practice_admin_is_told_whose_template_it_is(
    web, member, knowledge_base, colleague, colleague_member, practice
):
    member.is_practice_admin = True
    member.save()
    brams = make_template(colleague, practice, "Darm", shared=True, lines=[("glutamine", "5")])
    content = web.get(url(brams)).content.decode()
    assert nl("It belongs to %(owner)s.", owner="Bram Jansen") in content


def test_a_colleague_may_not_open_the_page_of_a_shared_template(colleague_web, own_template):
    own_template.shared = True
    own_template.save()
    assert colleague_web.get(url(own_template)).status_code == 403


def test_the_list_links_to_the_page_instead_of_deleting_at_once(web, own_template):
    content = web.get(reverse("practice:template-list")).content.decode()
    assert f'href="{url(own_template)}"' in content
    assert f'action="{url(own_template)}"' not in content
    assert f'href="{reverse("practice:template-update", args=[own_template.pk])}"' in content
