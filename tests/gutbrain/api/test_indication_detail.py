URL = "/api/v1/indications/stress/"


def test_it_shows_the_published_nutrients_that_support_it(
    practitioner_api, ashwagandha, unpublished
):
    response = practitioner_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "stress"
    assert body["nutrients"] == [
        {
            "nutrient": "ashwagandha",
            "name": "Ashwagandha (Indiase ginseng)",
            "name_nl": "Ashwagandha (Indiase ginseng)",
            "name_en": "Ashwagandha (Indian ginseng)",
            "note": "Verlaagt cortisol.",
            "note_nl": "Verlaagt cortisol.",
            "note_en": "Lowers cortisol.",
            "source_location": "",
            "references": [42],
        }
    ]


def test_it_gives_texts_in_the_language_asked_for(practitioner_api, ashwagandha):
    body = practitioner_api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["nutrients"][0]["name"] == "Ashwagandha (Indian ginseng)"
    assert body["nutrients"][0]["note"] == "Lowers cortisol."


def test_it_answers_404_for_an_unknown_slug(practitioner_api, db):
    assert practitioner_api.get("/api/v1/indications/boredom/").status_code == 404


def test_it_shows_an_indication_in_a_fixed_number_of_queries(
    practitioner_api, ashwagandha, django_assert_num_queries
):
    # 1: the token with its user, 2: the user's tokens (knox), 3: the indication, 4: supports of
    # published nutrients, 5: their references
    with django_assert_num_queries(5):
        response = practitioner_api.get(URL)

    assert response.status_code == 200
