from tests.factories import ReferenceFactory


def test_it_shows_a_reference_by_its_number(practitioner_api, db):
    ReferenceFactory(number=42, citation="Chandrasekhar K, et al. 2012.")

    response = practitioner_api.get("/api/v1/references/42/")

    assert response.status_code == 200
    assert response.json() == {"number": 42, "citation": "Chandrasekhar K, et al. 2012.", "url": ""}


def test_it_answers_404_for_an_unknown_number(practitioner_api, db):
    assert practitioner_api.get("/api/v1/references/99/").status_code == 404


def test_it_shows_a_reference_in_one_query(practitioner_api, db, django_assert_num_queries):
    ReferenceFactory(number=42)

    # 1: the token with its user, 2: the user's tokens (knox), 3: the reference
    with django_assert_num_queries(3):
        response = practitioner_api.get("/api/v1/references/42/")

    assert response.status_code == 200
