from tests.factories import MedicineFactory

URL = "/api/v1/medicines/"


def _medicines() -> None:
    MedicineFactory(name="oxazepam", atc_code="N05BA04")
    MedicineFactory(name="temazepam", atc_code="N05CD07")
    MedicineFactory(name="haloperidol", atc_code="N05AD01")
    MedicineFactory(name="sertraline", atc_code="N06AB06")


def test_it_lists_medicines_by_name_with_their_classes(practitioner_api, benzodiazepines):
    _medicines()

    response = practitioner_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert body["next"] is None
    assert body["previous"] is None
    assert [m["name"] for m in body["results"]] == [
        "haloperidol",
        "oxazepam",
        "sertraline",
        "temazepam",
    ]
    assert body["results"][1] == {
        "url": "http://testserver/api/v1/medicines/N05BA04/",
        "name": "oxazepam",
        "atc_code": "N05BA04",
        "medicine_classes": ["benzodiazepines", "sedatives"],
    }
    assert body["results"][2]["medicine_classes"] == []


def test_it_filters_by_the_start_of_the_atc_code_in_any_case(practitioner_api, db):
    _medicines()

    body = practitioner_api.get(URL, {"atc_code": " n05b "}).json()

    assert [m["name"] for m in body["results"]] == ["oxazepam"]


def test_it_filters_by_class_including_nested_classes(practitioner_api, benzodiazepines):
    _medicines()

    sedatives = practitioner_api.get(URL, {"medicine_class": "sedatives"}).json()
    benzos = practitioner_api.get(URL, {"medicine_class": "benzodiazepines"}).json()
    unknown = practitioner_api.get(URL, {"medicine_class": "placebos"}).json()

    assert [m["name"] for m in sedatives["results"]] == ["haloperidol", "oxazepam", "temazepam"]
    assert [m["name"] for m in benzos["results"]] == ["oxazepam", "temazepam"]
    assert unknown["results"] == []


def test_it_searches_by_name(practitioner_api, db):
    _medicines()

    body = practitioner_api.get(URL, {"search": "zepam"}).json()

    assert [m["name"] for m in body["results"]] == ["oxazepam", "temazepam"]


def test_it_lists_in_a_fixed_number_of_queries(
    practitioner_api, benzodiazepines, django_assert_num_queries
):
    _medicines()

    # 1: the token with its user, 2: the user's tokens (knox), 3: count, 4: the page of medicines,
    # 5: every class's prefixes
    with django_assert_num_queries(5):
        response = practitioner_api.get(URL)

    assert len(response.json()["results"]) == 4
