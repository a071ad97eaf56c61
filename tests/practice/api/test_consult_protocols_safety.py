"""POST /api/v1/consults/{id}/protocols/ issues exactly what was checked (issue #9)."""

import io

import pypdf

from gutbrain.models import Nutrient
from practice.models import Acknowledgement, ClientSupplement, Protocol
from practice.pdf import files
from tests.factories import ClientMedicationFactory

ACK = {"nutrient": "tryptophan", "reason": "Overlegd met de psychiater."}


def url(consult) -> str:
    return f"/api/v1/consults/{consult.pk}/protocols/"


def digest_of(api, consult) -> str:
    return api.get(f"/api/v1/consults/{consult.pk}/check/").json()["check_digest"]


def etag_of(api, consult) -> str:
    return api.get(f"/api/v1/consults/{consult.pk}/")["ETag"]


def test_it_issues_when_the_digest_is_the_current_checks(practitioner_api, sannes_consult):
    digest = digest_of(practitioner_api, sannes_consult)

    response = practitioner_api.post(
        url(sannes_consult), {"acknowledgements": [ACK], "check_digest": digest}
    )

    assert response.status_code == 201, response.json()
    assert Protocol.objects.get().snapshot["check"]["digest"] == digest


def test_a_changed_check_is_409_with_the_current_check_and_nothing_issued(
    practitioner_api, sanne, sannes_consult
):
    digest = digest_of(practitioner_api, sannes_consult)
    ClientMedicationFactory(client=sanne, atc_code="N05BA04", name="oxazepam")

    response = practitioner_api.post(
        url(sannes_consult), {"acknowledgements": [ACK], "check_digest": digest}
    )

    assert response.status_code == 409
    body = response.json()
    assert "changed" in body["detail"] or "veranderd" in body["detail"]
    assert body["check"]["check_digest"] == digest_of(practitioner_api, sannes_consult)
    assert body["check"]["check_digest"] != digest
    assert not Protocol.objects.exists()
    assert not Acknowledgement.objects.exists()


def test_a_changed_check_is_409_before_the_missing_acknowledgements(
    practitioner_api, sanne, knowledge_base, make_consult
):
    consult = make_consult(sanne, "magnesium")
    digest = digest_of(practitioner_api, consult)
    ClientSupplement.objects.create(
        client=sanne, name="Tryptofaan", nutrient=Nutrient.objects.get(slug="tryptophan")
    )

    response = practitioner_api.post(url(consult), {"check_digest": digest})

    assert response.status_code == 409
    assert not Protocol.objects.exists()


def test_a_digest_that_is_not_one_is_a_400_naming_the_field(practitioner_api, sannes_consult):
    response = practitioner_api.post(
        url(sannes_consult), {"acknowledgements": [ACK], "check_digest": "nope"}
    )

    assert response.status_code == 400
    assert "check_digest" in response.json()


def test_a_stale_if_match_is_412_before_the_missing_acknowledgements(
    practitioner_api, sannes_consult
):
    etag = etag_of(practitioner_api, sannes_consult)
    sannes_consult.notes = "Later aangevuld."
    sannes_consult.save()

    response = practitioner_api.post(url(sannes_consult), {}, HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert not Protocol.objects.exists()


def test_a_current_if_match_is_accepted(practitioner_api, sannes_consult):
    etag = etag_of(practitioner_api, sannes_consult)

    response = practitioner_api.post(
        url(sannes_consult), {"acknowledgements": [ACK]}, HTTP_IF_MATCH=etag
    )

    assert response.status_code == 201, response.json()


def test_an_avoid_on_an_own_supplement_needs_an_acknowledgement(
    practitioner_api, sanne, knowledge_base, make_consult
):
    consult = make_consult(sanne, "magnesium")
    ClientSupplement.objects.create(
        client=sanne, name="Tryptofaan 500", nutrient=Nutrient.objects.get(slug="tryptophan")
    )

    refused = practitioner_api.post(url(consult), {})

    assert refused.status_code == 400
    assert refused.json()["unacknowledged"] == ["tryptophan"]
    assert not Protocol.objects.exists()

    issued = practitioner_api.post(url(consult), {"acknowledgements": [ACK]})

    assert issued.status_code == 201, issued.json()
    (ack,) = Acknowledgement.objects.all()
    assert ack.nutrient.slug == "tryptophan"
    snapshot = Protocol.objects.get().snapshot
    assert [(r["nutrient"], r["source"]) for r in snapshot["check"]["results"]] == [
        ("magnesium", "protocol"),
        ("tryptophan", "own_supplement"),
    ]
    assert snapshot["own_supplements"] == [
        {"name": "Tryptofaan 500", "nutrient": "tryptophan", "dose": ""}
    ]


def test_the_handout_tells_the_client_about_own_supplements(
    practitioner_api, sanne, knowledge_base, make_consult
):
    consult = make_consult(sanne, "magnesium")
    ClientSupplement.objects.create(
        client=sanne, name="Tryptofaan 500", nutrient=Nutrient.objects.get(slug="tryptophan")
    )
    ClientSupplement.objects.create(client=sanne, name="Sint-janskruid")

    practitioner_api.post(url(consult), {"acknowledgements": [ACK]})

    protocol = Protocol.objects.get()
    assert protocol.snapshot["check"]["not_checked"] == [
        {"name": "Sint-janskruid", "reason": "not_in_knowledge_base"}
    ]
    reader = pypdf.PdfReader(io.BytesIO(files.read(protocol)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Sint-janskruid" in text
    assert "Tryptofaan" in text
    assert "niet gecontroleerd" in text.lower()
