"""`gutbrain:topic-detail`: a topic's text, its pathway figure and its references."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from gutbrain.models import PathwayStep, Topic
from tests.factories import ReferenceFactory, TopicFactory

SVG = "{http://www.w3.org/2000/svg}"
pytestmark = pytest.mark.django_db

FIGURE_2 = [
    (
        "Tryptofaan",
        "Tryptophan",
        "Hydroxylatie en decarboxylatie",
        "Hydroxylation and decarboxylation",
    ),
    ("Serotonine", "Serotonin", "N-acetyltransferase", "N-acetyltransferase"),
    (
        "N-acetylserotonine",
        "N-acetylserotonin",
        "Hydroxylindol-O-methyltransferase",
        "Hydroxyindole-O-methyltransferase",
    ),
    ("Melatonine", "Melatonin", "", ""),
]


def url(slug: str) -> str:
    return reverse("gutbrain:topic-detail", args=[slug])


def serotonin(steps: int = 4, references: int = 2) -> Topic:
    topic = TopicFactory(
        slug="serotonin",
        title_nl="Serotonine",
        title_en="Serotonin",
        body_nl=(
            "Serotonine heeft functies:\n- Gedrag\n- Stemming\n\nHet wordt gemaakt uit tryptofaan."
        ),
        body_en="Serotonin has functions:\n- Behaviour\n- Mood\n\nIt is made from tryptophan.",
    )
    for order in range(steps):
        nl, en, conversion_nl, conversion_en = FIGURE_2[order % 4]
        PathwayStep.objects.create(
            topic=topic,
            order=order,
            substance_nl=nl,
            substance_en=en,
            conversion_nl=conversion_nl,
            conversion_en=conversion_en,
        )
    topic.references.add(*(ReferenceFactory(number=n + 1) for n in range(references)))
    return topic


def svg_of(html: str) -> ET.Element:
    start = html.index("<svg")
    return ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    serotonin()
    response = client.get(url("serotonin"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_answers_404_for_an_unknown_or_unpublished_topic(staff_client):
    TopicFactory(slug="draft", is_published=False)
    assert staff_client.get(url("draft")).status_code == 404
    assert staff_client.get(url("nothing-here")).status_code == 404


def test_it_shows_the_body_as_paragraphs_and_lists(staff_client):
    serotonin()

    html = staff_client.get(url("serotonin")).content.decode()

    assert "<h1>Serotonine</h1>" in html
    assert "<p>Serotonine heeft functies:</p>\n<ul><li>Gedrag</li><li>Stemming</li></ul>" in html
    assert "<p>Het wordt gemaakt uit tryptofaan.</p>" in html
    assert "1, 2" in html  # the reference numbers


def test_it_draws_the_pathway_with_the_conversions_on_the_arrows(staff_client):
    serotonin()

    html = staff_client.get(url("serotonin"), headers={"accept-language": "en"}).content.decode()

    figure = svg_of(html)
    assert figure.get("role") == "img"
    words = " ".join(" ".join(t.itertext()) for t in figure.iter(f"{SVG}text"))
    for substance in ("Tryptophan", "Serotonin", "N-acetylserotonin", "Melatonin"):
        assert substance in words
    assert "Hydroxylation and decarboxylation" in words
    assert "N-acetyltransferase" in words
    arrows = [line for line in figure.iter(f"{SVG}line") if line.get("marker-end")]
    assert len(arrows) == 3


def test_a_topic_without_pathway_has_no_figure(staff_client):
    serotonin(steps=0)

    html = staff_client.get(url("serotonin")).content.decode()

    assert "<svg" not in html


@pytest.mark.parametrize("rows", [2, 6])
def test_its_query_count_does_not_grow_with_steps_or_references(
    staff_client, django_assert_num_queries, rows
):
    serotonin(steps=rows, references=rows)

    # 1 session, 2 user, 3 topic, 4 its references, 5 its pathway steps,
    # 6 the user's roles (the menu)
    with django_assert_num_queries(6):
        response = staff_client.get(url("serotonin"))

    assert len(response.context["steps"]) == rows
