"""`gutbrain:topic-list`: the published explanatory topics."""

import pytest
from django.urls import reverse

from tests.factories import TopicFactory

URL = reverse("gutbrain:topic-list")
pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_lists_published_topics_in_order_with_links(staff_client):
    second = TopicFactory(slug="serotonin", title_nl="Serotonine", order=2)
    first = TopicFactory(slug="brain-gut-axis", title_nl="De hersen-darm-as", order=1)
    TopicFactory(slug="draft", title_nl="Concept", is_published=False)

    html = staff_client.get(URL).content.decode()

    assert f'<a href="{first.get_absolute_url()}">De hersen-darm-as</a>' in html
    assert html.index("De hersen-darm-as") < html.index(second.tr("title"))
    assert "Concept" not in html


@pytest.mark.parametrize("topics", [2, 6])
def test_its_query_count_does_not_grow_with_the_topics(
    staff_client, django_assert_num_queries, topics
):
    for n in range(topics):
        TopicFactory(slug=f"topic-{n}")

    # 1 session, 2 user, 3 topics, 4 the user's roles (the menu)
    with django_assert_num_queries(4):
        response = staff_client.get(URL)

    assert len(response.context["topics"]) == topics
