URL = "/api/v1/nutrients/ashwagandha/"


def test_it_shows_everything_known_about_the_nutrient(practitioner_api, ashwagandha):
    response = practitioner_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "ashwagandha"
    assert body["name"] == "Ashwagandha (Indiase ginseng)"
    assert body["description_nl"] == "Een adaptogeen."
    assert body["description_en"] == "An adaptogen."
    assert body["usual_dose_amount"] == "300.00"
    assert body["usual_dose_unit"] == "mg"
    assert body["usual_dose"] == "300 mg per dag"
    assert body["references"] == [41, 42]
    assert body["forms"] == [
        {
            "slug": "root-extract",
            "name": "Wortelextract",
            "name_nl": "Wortelextract",
            "name_en": "Root extract",
            "application": "",
            "application_nl": "",
            "application_en": "",
            "source_location": "",
            "references": [41],
        }
    ]
    assert body["food_sources"] == [
        {"name": "Wortel", "name_nl": "Wortel", "name_en": "Root", "references": [41]}
    ]
    assert body["indications"] == [
        {
            "indication": "stress",
            "name": "Stress",
            "name_nl": "Stress",
            "name_en": "Stress",
            "note": "Verlaagt cortisol.",
            "note_nl": "Verlaagt cortisol.",
            "note_en": "Lowers cortisol.",
            "source_location": "",
            "references": [42],
        }
    ]


def test_it_nests_the_nutrients_rows_of_the_interaction_table(practitioner_api, ashwagandha):
    interactions = practitioner_api.get(URL).json()["interactions"]

    by_target = {row["target"]: row for row in interactions}
    assert set(by_target) == {"medicine_class", "pregnancy"}
    assert by_target["medicine_class"]["medicine_class"] == "sedatives"
    assert by_target["medicine_class"]["level"] == "monitor"
    assert by_target["pregnancy"]["medicine_class"] is None
    assert by_target["pregnancy"]["level"] == "avoid"
    assert by_target["pregnancy"]["advice"] == "Afgeraden tijdens de zwangerschap."
    assert by_target["pregnancy"]["references"] == [7]


def test_it_nests_evidence_with_its_outcomes_in_order(practitioner_api, ashwagandha):
    [trial] = practitioner_api.get(URL).json()["evidence"]

    assert trial["nutrient"] == "ashwagandha"
    assert trial["indication"] == "stress"
    assert trial["design"] == "rct"
    assert trial["participants"] == 64
    assert trial["duration_days"] == 60
    assert trial["certainty"] == "moderate"
    assert trial["references"] == [42]
    assert [o["measure_en"] for o in trial["outcomes"]] == ["Anxiety scale", "Stress scale"]
    assert trial["outcomes"][0]["intervention_change"] == "-75.60"
    assert trial["outcomes"][0]["comparator_change"] == "4.30"


def test_it_gives_texts_in_the_language_asked_for(practitioner_api, ashwagandha):
    body = practitioner_api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["name"] == "Ashwagandha (Indian ginseng)"
    assert body["description"] == "An adaptogen."
    assert body["forms"][0]["name"] == "Root extract"
    assert body["indications"][0]["note"] == "Lowers cortisol."
    assert body["evidence"][0]["outcomes"][0]["measure"] == "Anxiety scale"


def test_it_answers_404_for_an_unknown_slug(practitioner_api, db):
    assert practitioner_api.get("/api/v1/nutrients/mandrake/").status_code == 404


def test_it_answers_404_for_an_unpublished_nutrient(practitioner_api, unpublished):
    assert practitioner_api.get("/api/v1/nutrients/draft-herb/").status_code == 404


def test_it_shows_a_nutrient_in_a_fixed_number_of_queries(
    practitioner_api, ashwagandha, django_assert_num_queries
):
    # 1: the token with its user, 2: the user's tokens (knox), 3: the nutrient, 4: its references,
    # 5: forms, 6: their references, 7: food sources, 8: their references, 9: supports with
    # indications, 10: their references, 11: interactions with classes, 12: their references, 13:
    # evidence with indications, 14: outcomes, 15: evidence references
    with django_assert_num_queries(15):
        response = practitioner_api.get(URL)

    assert response.status_code == 200
