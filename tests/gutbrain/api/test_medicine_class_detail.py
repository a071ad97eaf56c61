URL = "/api/v1/medicine-classes/sedatives/"


def test_it_shows_a_class_with_the_prefixes_of_nested_classes(practitioner_api, benzodiazepines):
    response = practitioner_api.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "sedatives"
    assert body["name_nl"] == "kalmeringsmiddelen"
    assert body["atc_prefixes"] == ["N05"]
    assert body["effective_prefixes"] == ["N05", "N05BA", "N05CD"]


def test_it_answers_404_for_an_unknown_slug(practitioner_api, db):
    assert practitioner_api.get("/api/v1/medicine-classes/placebos/").status_code == 404


def test_it_shows_a_class_in_a_fixed_number_of_queries(
    practitioner_api, benzodiazepines, django_assert_num_queries
):
    # 1: the token with its user, 2: the class with its parent, 3: every class's prefixes
    with django_assert_num_queries(3):
        response = practitioner_api.get(URL)

    assert response.status_code == 200
