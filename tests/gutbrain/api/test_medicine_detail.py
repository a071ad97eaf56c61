from tests.factories import MedicineFactory

URL = "/api/v1/medicines/N05BA04/"


def test_it_shows_a_medicine_by_its_atc_code(practitioner_api, benzodiazepines):
    MedicineFactory(name="oxazepam", atc_code="N05BA04")

    response = practitioner_api.get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "url": "http://testserver/api/v1/medicines/N05BA04/",
        "name": "oxazepam",
        "atc_code": "N05BA04",
        "medicine_classes": ["benzodiazepines", "sedatives"],
    }


def test_it_answers_404_for_an_unknown_code(practitioner_api, db):
    assert practitioner_api.get("/api/v1/medicines/A02BC01/").status_code == 404


def test_it_shows_a_medicine_in_a_fixed_number_of_queries(
    practitioner_api, benzodiazepines, django_assert_num_queries
):
    MedicineFactory(name="oxazepam", atc_code="N05BA04")

    # 1: the token with its user, 2: the user's tokens (knox), 3: the medicine, 4: every class's
    # prefixes
    with django_assert_num_queries(4):
        response = practitioner_api.get(URL)

    assert response.status_code == 200
