"""PATCH /api/v1/clients/{id}/ with a nested list: each item is whole (found by the fuzz)."""


def test_an_own_supplement_without_a_name_is_a_400_naming_it(practitioner_api, sanne):
    response = practitioner_api.patch(
        f"/api/v1/clients/{sanne.pk}/", {"own_supplements": [{"dose": "x"}]}, format="json"
    )

    assert response.status_code == 400
    assert "name" in str(response.json()["own_supplements"])


def test_a_medicine_without_a_code_is_a_400_naming_it(practitioner_api, sanne):
    response = practitioner_api.patch(
        f"/api/v1/clients/{sanne.pk}/", {"medications": [{"name": "iets"}]}, format="json"
    )

    assert response.status_code == 400
    assert "atc_code" in str(response.json()["medications"])
    assert sanne.medications.count() == 1
