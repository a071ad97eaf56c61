"""POST /api/v1/clients/ with a bad nested medicine after good ones: the service has saved
the client row before it refuses, and the answer leaves nothing behind."""

from practice.models import Client, ClientMedication, ClientSupplement
from tests.factories import MedicineFactory, NutrientFactory, PracticeMemberFactory

URL = "/api/v1/clients/"


def test_a_bad_third_medicine_leaves_no_client_medicine_or_supplement(
    practitioner_api, practitioner
):
    PracticeMemberFactory(user=practitioner)
    MedicineFactory(atc_code="N05BA04", name="oxazepam")
    NutrientFactory(slug="magnesium")
    body = {
        "first_name": "Sanne",
        "last_name": "Mulder",
        "date_of_birth": "1985-03-14",
        "medications": [
            {"atc_code": "N05BA04"},
            {"atc_code": "N06AB06", "name": "sertraline"},
            # Well formed, so the serializer passes it; not in the reference list and
            # without a name, so the service refuses it after saving the client.
            {"atc_code": "N06AX99"},
        ],
        "own_supplements": [{"name": "Magnesium", "nutrient": "magnesium", "dose": "250 mg"}],
    }

    response = practitioner_api.post(URL, body)

    assert response.status_code == 400
    [message] = response.json()["medications"]
    assert "N06AX99" in message
    assert not Client.objects.exists()
    assert not ClientMedication.objects.exists()
    assert not ClientSupplement.objects.exists()
    # Nor was a client number used up.
    body["medications"] = body["medications"][:2]
    assert practitioner_api.post(URL, body).json()["client_number"] == "00001"
