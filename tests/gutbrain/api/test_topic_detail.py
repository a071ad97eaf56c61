import pytest

from gutbrain import models as kb
from tests.factories import ReferenceFactory, TopicFactory
from tests.gutbrain.api.factories import PathwayStepFactory

URL = "/api/v1/topics/serotonin/"


@pytest.fixture
def serotonin(db) -> kb.Topic:
    topic = TopicFactory(
        slug="serotonin",
        title_nl="Serotonine",
        title_en="Serotonin",
        body_nl="Serotonine wordt gemaakt uit tryptofaan.",
        body_en="Serotonin is made from tryptophan.",
    )
    topic.references.set([ReferenceFactory(number=30), ReferenceFactory(number=29)])
    PathwayStepFactory(
        topic=topic,
        order=2,
        substance_nl="Serotonine",
        substance_en="Serotonin",
        conversion_nl="N-acetyltransferase",
        conversion_en="N-acetyltransferase",
    )
    PathwayStepFactory(
        topic=topic,
        order=1,
        substance_nl="Tryptofaan",
        substance_en="Tryptophan",
        conversion_nl="hydroxylering en decarboxylering",
        conversion_en="hydroxylation and decarboxylation",
    )
    return topic


def test_it_shows_a_topic_with_its_pathway_in_order(practitioner_api, serotonin):
    response = practitioner_api.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Serotonin"
    assert body["body"] == "Serotonin is made from tryptophan."
    assert body["body_nl"] == "Serotonine wordt gemaakt uit tryptofaan."
    assert body["references"] == [29, 30]
    assert body["pathway_steps"][0] == {
        "order": 1,
        "substance": "Tryptophan",
        "substance_nl": "Tryptofaan",
        "substance_en": "Tryptophan",
        "conversion": "hydroxylation and decarboxylation",
        "conversion_nl": "hydroxylering en decarboxylering",
        "conversion_en": "hydroxylation and decarboxylation",
    }
    assert [s["substance_en"] for s in body["pathway_steps"]] == ["Tryptophan", "Serotonin"]


def test_it_answers_404_for_an_unpublished_topic(practitioner_api, db):
    TopicFactory(slug="draft", is_published=False)

    assert practitioner_api.get("/api/v1/topics/draft/").status_code == 404


def test_it_shows_a_topic_in_a_fixed_number_of_queries(
    practitioner_api, serotonin, django_assert_num_queries
):
    # 1: the token with its user, 2: the user's tokens (knox), 3: the topic, 4: its references, 5:
    # its pathway steps
    with django_assert_num_queries(5):
        response = practitioner_api.get(URL)

    assert response.status_code == 200
