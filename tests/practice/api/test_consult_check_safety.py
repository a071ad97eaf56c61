"""GET /api/v1/consults/{id}/check/: what the check says beyond the lines (issue #9).

Own supplements are checked, what cannot be checked is said, medicines are explained, and
pregnancy or breastfeeding where the source is silent is `no_data`, never `clear`.
"""

from gutbrain.models import Interaction, Nutrient, Reference
from practice.models import ClientSupplement
from tests.factories import ClientMedicationFactory


def url(consult) -> str:
    return f"/api/v1/consults/{consult.pk}/check/"


def results(body: dict) -> list[tuple[str, str, str]]:
    return [(r["nutrient"], r["source"], r["level"]) for r in body["results"]]


def own(client, name: str, slug: str | None = None) -> ClientSupplement:
    nutrient = Nutrient.objects.get(slug=slug) if slug else None
    return ClientSupplement.objects.create(client=client, name=name, nutrient=nutrient)


def test_an_own_supplement_of_the_knowledge_base_is_checked_and_marked(
    practitioner_api, knowledge_base, sanne, make_consult
):
    own(sanne, "Tryptofaan van de drogist", "tryptophan")

    body = practitioner_api.get(url(make_consult(sanne, "magnesium"))).json()

    assert results(body) == [
        ("magnesium", "protocol", "separate_intake"),
        ("tryptophan", "own_supplement", "avoid"),
    ]
    assert body["worst_level"] == "avoid"
    assert body["not_checked"] == []


def test_an_own_supplement_that_is_also_a_line_is_answered_once_as_the_line(
    practitioner_api, sanne, sannes_consult
):
    own(sanne, "Magnesium", "magnesium")

    body = practitioner_api.get(url(sannes_consult)).json()

    assert [r["nutrient"] for r in body["results"]] == ["magnesium", "tryptophan"]
    assert {r["source"] for r in body["results"]} == {"protocol"}


def test_an_own_supplement_outside_the_knowledge_base_is_listed_as_not_checked(
    practitioner_api, sanne, sannes_consult
):
    own(sanne, "Sint-janskruid")

    body = practitioner_api.get(url(sannes_consult)).json()

    assert body["not_checked"] == [{"name": "Sint-janskruid", "reason": "not_in_knowledge_base"}]
    assert [r["nutrient"] for r in body["results"]] == ["magnesium", "tryptophan"]


def test_an_own_supplement_whose_nutrient_was_unpublished_is_not_checked_not_dropped(
    practitioner_api, knowledge_base, sanne, make_consult
):
    own(sanne, "Rhodiola rosea", "rhodiola")
    Nutrient.objects.filter(slug="rhodiola").update(is_published=False)

    body = practitioner_api.get(url(make_consult(sanne, "magnesium"))).json()

    assert body["not_checked"] == [{"name": "Rhodiola rosea", "reason": "not_in_knowledge_base"}]


def test_every_medicine_is_explained_with_its_classes(practitioner_api, sanne, sannes_consult):
    ClientMedicationFactory(client=sanne, atc_code="N03AE01", name="Rivotril")
    ClientMedicationFactory(client=sanne, atc_code="N05BA99", name="iets nieuws")

    body = practitioner_api.get(url(sannes_consult)).json()

    medicines = {m["atc_code"]: m for m in body["medicines"]}
    assert medicines["N06AF03"] == {
        "atc_code": "N06AF03",
        "name": "fenelzine",
        "in_reference_list": True,
        "classes": ["antidepressants", "mao-inhibitors", "psychotropic-drugs"],
    }
    # Clonazepam is a benzodiazepine filed under anti-epileptics (the completion).
    assert set(medicines["N03AE01"]["classes"]) == {
        "anti-epileptics",
        "benzodiazepines",
        "psychotropic-drugs",
        "sedatives",
    }
    assert medicines["N03AE01"]["name"] == "Rivotril"
    assert medicines["N05BA99"]["in_reference_list"] is False
    assert "benzodiazepines" in medicines["N05BA99"]["classes"]


def test_clonazepam_with_ashwagandha_is_not_clear(
    practitioner_api, knowledge_base, sanne, make_consult
):
    ClientMedicationFactory(client=sanne, atc_code="N03AE01", name="clonazepam")

    body = practitioner_api.get(url(make_consult(sanne, "ashwagandha"))).json()

    assert body["results"][0]["level"] == "monitor"


def test_magnesium_for_a_pregnant_client_is_no_data_for_pregnancy_not_clear(
    practitioner_api, knowledge_base, sanne, make_consult
):
    sanne.medications.all().delete()

    body = practitioner_api.get(url(make_consult(sanne, "magnesium", pregnant=True))).json()

    (result,) = body["results"]
    assert result["level"] == "no_data"
    (finding,) = result["findings"]
    assert (finding["level"], finding["reason"]) == ("no_data", "pregnancy")
    assert "zwangerschap" in finding["advice_nl"]
    assert body["worst_level"] == "no_data"


def test_breastfeeding_where_the_source_is_silent_is_no_data_too(
    practitioner_api, knowledge_base, sanne, make_consult
):
    consult = make_consult(sanne, "probiotics", breastfeeding=True)

    (result,) = practitioner_api.get(url(consult)).json()["results"]

    assert result["level"] == "no_data"
    assert [f["reason"] for f in result["findings"]] == ["breastfeeding"]


def test_a_curated_none_known_for_pregnancy_answers_none_known(
    practitioner_api, knowledge_base, sanne, make_consult
):
    sanne.medications.all().delete()
    row = Interaction.objects.create(
        nutrient=Nutrient.objects.get(slug="magnesium"),
        target="pregnancy",
        level="none_known",
        advice_nl="Geen bezwaar bekend in de zwangerschap.",
        advice_en="No objection known in pregnancy.",
    )
    row.references.add(Reference.objects.get(number=1))

    (result,) = practitioner_api.get(url(make_consult(sanne, "magnesium", pregnant=True))).json()[
        "results"
    ]

    assert (result["level"], result["findings"]) == ("none_known", [])


def test_the_check_digest_is_stable_and_follows_the_answer(practitioner_api, sanne, sannes_consult):
    first = practitioner_api.get(url(sannes_consult)).json()["check_digest"]
    assert practitioner_api.get(url(sannes_consult)).json()["check_digest"] == first
    assert len(first) == 64

    own(sanne, "Sint-janskruid")

    assert practitioner_api.get(url(sannes_consult)).json()["check_digest"] != first


def test_the_digest_does_not_depend_on_the_language(practitioner_api, sannes_consult):
    dutch = practitioner_api.get(url(sannes_consult), HTTP_ACCEPT_LANGUAGE="nl").json()
    english = practitioner_api.get(url(sannes_consult), HTTP_ACCEPT_LANGUAGE="en").json()

    assert dutch["check_digest"] == english["check_digest"]
