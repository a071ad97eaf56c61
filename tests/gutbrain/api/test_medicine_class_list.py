from tests.factories import MedicineClassFactory

URL = "/api/v1/medicine-classes/"


def test_it_lists_the_classes_with_own_and_effective_prefixes(practitioner_api, benzodiazepines):
    MedicineClassFactory(
        slug="antipsychotics",
        name_nl="antipsychotica",
        atc_prefixes="N05A",
        parent=benzodiazepines.parent,
    )

    response = practitioner_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["next"] is None
    assert body["previous"] is None
    by_slug = {c["slug"]: c for c in body["results"]}
    assert by_slug["sedatives"]["parent"] is None
    assert by_slug["sedatives"]["atc_prefixes"] == ["N05"]
    assert by_slug["sedatives"]["effective_prefixes"] == ["N05", "N05A", "N05BA", "N05CD"]
    assert by_slug["benzodiazepines"] == {
        "url": "http://testserver/api/v1/medicine-classes/benzodiazepines/",
        "slug": "benzodiazepines",
        "name": "benzodiazepinen",
        "name_nl": "benzodiazepinen",
        "name_en": "benzodiazepines",
        "parent": "sedatives",
        "atc_prefixes": ["N05BA", "N05CD"],
        "editor_prefixes": [],
        "editor_note": "",
        "editor_note_nl": "",
        "editor_note_en": "",
        "effective_prefixes": ["N05BA", "N05CD"],
        "description": "",
        "description_nl": "",
        "description_en": "",
    }


def test_it_filters_by_parent(practitioner_api, benzodiazepines):
    body = practitioner_api.get(URL, {"parent": "sedatives"}).json()

    assert [c["slug"] for c in body["results"]] == ["benzodiazepines"]


def test_it_searches_names_and_prefixes(practitioner_api, benzodiazepines):
    by_name = practitioner_api.get(URL, {"search": "kalmering"}).json()
    by_prefix = practitioner_api.get(URL, {"search": "N05CD"}).json()

    assert [c["slug"] for c in by_name["results"]] == ["sedatives"]
    assert [c["slug"] for c in by_prefix["results"]] == ["benzodiazepines"]


def test_it_lists_in_a_fixed_number_of_queries(
    practitioner_api, benzodiazepines, django_assert_num_queries
):
    MedicineClassFactory.create_batch(3, parent=benzodiazepines)

    # 1: the token with its user, 2: the user's tokens (knox), 3: count, 4: the page of classes with
    # their parents, 5: every class's prefixes
    with django_assert_num_queries(5):
        response = practitioner_api.get(URL)

    assert len(response.json()["results"]) == 5
