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
    # 1: the token with its user, 2: the user's tokens (knox), 3: the class with its parent, 4:
    # every class's prefixes
    with django_assert_num_queries(4):
        response = practitioner_api.get(URL)

    assert response.status_code == 200


def test_it_shows_the_editors_additions_apart_from_the_brochures_prefixes(
    practitioner_api, benzodiazepines
):
    benzodiazepines.editor_prefixes = "N03AE"
    benzodiazepines.editor_note_nl = "Clonazepam (N03AE01) is een benzodiazepine."
    benzodiazepines.editor_note_en = "Clonazepam (N03AE01) is a benzodiazepine."
    benzodiazepines.save()

    body = practitioner_api.get(
        "/api/v1/medicine-classes/benzodiazepines/", HTTP_ACCEPT_LANGUAGE="en"
    ).json()

    assert body["atc_prefixes"] == ["N05BA", "N05CD"]
    assert body["editor_prefixes"] == ["N03AE"]
    assert body["editor_note"] == "Clonazepam (N03AE01) is a benzodiazepine."
    assert body["editor_note_nl"] == "Clonazepam (N03AE01) is een benzodiazepine."
    assert body["editor_note_en"] == "Clonazepam (N03AE01) is a benzodiazepine."
    assert body["effective_prefixes"] == ["N05BA", "N05CD", "N03AE"]


def test_the_effective_prefixes_hold_the_additions_of_nested_classes(
    practitioner_api, sedatives, benzodiazepines
):
    sedatives.editor_prefixes = "R06AD02"
    sedatives.editor_note_nl = "Promethazine wordt als kalmeringsmiddel gebruikt."
    sedatives.save()
    benzodiazepines.editor_prefixes = "N03AE"
    benzodiazepines.editor_note_nl = "Clonazepam is een benzodiazepine."
    benzodiazepines.save()

    body = practitioner_api.get(URL).json()

    assert body["editor_prefixes"] == ["R06AD02"]
    assert body["editor_note"] == "Promethazine wordt als kalmeringsmiddel gebruikt."
    assert body["effective_prefixes"] == ["N05", "R06AD02", "N05BA", "N05CD", "N03AE"]
