from tests.factories import ReferenceFactory

URL = "/api/v1/references/"


def test_it_lists_the_references_by_number(practitioner_api, db):
    ReferenceFactory(number=43, citation="Akhondzadeh S, et al. 2005.")
    ReferenceFactory(number=19)

    response = practitioner_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["next"] is None
    assert body["previous"] is None
    assert body["results"] == [
        {"number": 19, "citation": "", "url": ""},
        {"number": 43, "citation": "Akhondzadeh S, et al. 2005.", "url": ""},
    ]


def test_it_searches_the_citations(practitioner_api, db):
    ReferenceFactory(number=43, citation="Akhondzadeh S, et al. 2005.")
    ReferenceFactory(number=42, citation="Chandrasekhar K, et al. 2012.")

    body = practitioner_api.get(URL, {"search": "chandra"}).json()

    assert [r["number"] for r in body["results"]] == [42]


def test_it_lists_in_a_fixed_number_of_queries(practitioner_api, db, django_assert_num_queries):
    ReferenceFactory.create_batch(3)

    # 1: the token with its user, 2: the user's tokens (knox), 3: count, 4: the page of references
    with django_assert_num_queries(4):
        response = practitioner_api.get(URL)

    assert len(response.json()["results"]) == 3
