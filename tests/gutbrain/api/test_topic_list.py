from tests.factories import TopicFactory

URL = "/api/v1/topics/"


def test_it_lists_the_published_topics_in_order(practitioner_api, db):
    TopicFactory(slug="serotonin", title_nl="Serotonine", title_en="Serotonin", order=2)
    TopicFactory(slug="brain-gut-axis", title_nl="De hersen-darm-as", order=1)
    TopicFactory(slug="draft", is_published=False)

    response = practitioner_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["next"] is None
    assert body["previous"] is None
    assert [t["slug"] for t in body["results"]] == ["brain-gut-axis", "serotonin"]
    assert body["results"][1] == {
        "url": "http://testserver/api/v1/topics/serotonin/",
        "slug": "serotonin",
        "title": "Serotonine",
        "title_nl": "Serotonine",
        "title_en": "Serotonin",
        "order": 2,
    }


def test_it_searches_titles_and_texts(practitioner_api, db):
    TopicFactory(slug="vagus-nerve", body_nl="De nervus vagus is de snelste verbinding.")
    TopicFactory(slug="gaba")

    body = practitioner_api.get(URL, {"search": "vagus"}).json()

    assert [t["slug"] for t in body["results"]] == ["vagus-nerve"]


def test_it_lists_in_a_fixed_number_of_queries(practitioner_api, db, django_assert_num_queries):
    TopicFactory.create_batch(3)

    # 1: the token with its user, 2: the user's tokens (knox), 3: count, 4: the page of topics
    with django_assert_num_queries(4):
        response = practitioner_api.get(URL)

    assert len(response.json()["results"]) == 3
