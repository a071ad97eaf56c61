"""ETag and If-Match on GET, PUT and PATCH /api/v1/consults/{id}/"""

import pytest
from rest_framework.test import APIClient

from practice.models import Consult


def url(consult: Consult) -> str:
    return f"/api/v1/consults/{consult.pk}/"


def lines_of(consult: Consult) -> list[str]:
    return [line.nutrient.slug for line in consult.lines.order_by("order")]


def test_get_answers_a_strong_etag(practitioner_api, sannes_consult):
    response = practitioner_api.get(url(sannes_consult))

    assert response.status_code == 200
    assert response["ETag"] == f'"{sannes_consult.pk}.1"'


def test_a_write_with_the_current_etag_succeeds_and_answers_the_new_one(
    practitioner_api, sannes_consult
):
    etag = practitioner_api.get(url(sannes_consult))["ETag"]

    response = practitioner_api.patch(
        url(sannes_consult), {"notes": "Slaapt beter."}, format="json", headers={"If-Match": etag}
    )

    assert response.status_code == 200, response.json()
    assert response["ETag"] != etag
    assert response["ETag"] == practitioner_api.get(url(sannes_consult))["ETag"]
    again = practitioner_api.patch(
        url(sannes_consult),
        {"pregnant": True},
        format="json",
        headers={"If-Match": response["ETag"]},
    )
    assert again.status_code == 200
    sannes_consult.refresh_from_db()
    assert (sannes_consult.notes, sannes_consult.pregnant) == ("Slaapt beter.", True)


def test_the_second_of_two_writers_who_loaded_the_same_version_gets_412(
    practitioner, sannes_consult
):
    anna, annas_laptop = APIClient(), APIClient()
    for api in (anna, annas_laptop):
        api.force_authenticate(practitioner)
    etag = anna.get(url(sannes_consult))["ETag"]
    assert annas_laptop.get(url(sannes_consult))["ETag"] == etag

    first = anna.patch(
        url(sannes_consult), {"notes": "Eerste."}, format="json", headers={"If-Match": etag}
    )
    second = annas_laptop.patch(
        url(sannes_consult), {"notes": "Tweede."}, format="json", headers={"If-Match": etag}
    )

    assert first.status_code == 200
    assert second.status_code == 412
    assert list(second.json()) == ["detail"]
    sannes_consult.refresh_from_db()
    assert sannes_consult.notes == "Eerste."


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_stale_etag_changes_nothing(practitioner_api, sannes_consult, method):
    stale = practitioner_api.get(url(sannes_consult))["ETag"]
    practitioner_api.patch(url(sannes_consult), {"notes": "Intussen gewijzigd."}, format="json")
    record = practitioner_api.get(url(sannes_consult)).json()
    current = Consult.objects.get(pk=sannes_consult.pk)

    response = getattr(practitioner_api, method)(
        url(sannes_consult),
        {**record, "notes": "Overschreven.", "breastfeeding": True, "supplements": []},
        format="json",
        headers={"If-Match": stale},
    )

    assert response.status_code == 412
    sannes_consult.refresh_from_db()
    assert sannes_consult.notes == "Intussen gewijzigd."
    assert sannes_consult.breastfeeding is False
    assert sannes_consult.revision == current.revision
    assert sannes_consult.updated_at == current.updated_at
    assert lines_of(sannes_consult) == ["magnesium", "tryptophan"]


@pytest.mark.parametrize(
    "if_match",
    [
        'W/"{pk}.1"',  # weak: If-Match compares strongly
        '"{other}.1"',  # another consult's
        "not an etag",
        '"{pk}.0", "{pk}.2"',
    ],
)
def test_an_if_match_that_names_no_current_version_gets_412(
    practitioner_api, sanne, sannes_consult, make_consult, if_match
):
    other = make_consult(sanne, "saffron")
    header = if_match.format(pk=sannes_consult.pk, other=other.pk)

    response = practitioner_api.patch(
        url(sannes_consult), {"notes": "Nee."}, format="json", headers={"If-Match": header}
    )

    assert response.status_code == 412
    sannes_consult.refresh_from_db()
    assert sannes_consult.notes == ""


@pytest.mark.parametrize("if_match", [None, "*", '"{pk}.0", "{pk}.1"'])
def test_a_write_without_if_match_or_with_a_matching_one_is_accepted(
    practitioner_api, sannes_consult, if_match
):
    headers = {"If-Match": if_match.format(pk=sannes_consult.pk)} if if_match else {}

    response = practitioner_api.patch(
        url(sannes_consult), {"notes": "Ja."}, format="json", headers=headers
    )

    assert response.status_code == 200
    assert response["ETag"] == f'"{sannes_consult.pk}.2"'


def test_a_request_both_stale_and_invalid_answers_400(practitioner_api, sannes_consult):
    response = practitioner_api.patch(
        url(sannes_consult),
        {"supplements": [{"nutrient": "magnesum", "dose_amount": "1", "dose_unit": "mg"}]},
        format="json",
        headers={"If-Match": '"0.0"'},
    )

    assert response.status_code == 400


def test_a_colleague_gets_404_whatever_the_if_match(
    colleague_api, practitioner_api, sannes_consult
):
    etag = practitioner_api.get(url(sannes_consult))["ETag"]

    response = colleague_api.patch(
        url(sannes_consult), {"notes": "Nee."}, format="json", headers={"If-Match": etag}
    )

    assert response.status_code == 404


def test_the_schema_documents_the_etag_the_if_match_and_the_412(served_schema):
    paths = served_schema()["paths"]
    consult = paths["/api/v1/consults/{id}/"]
    assert "ETag" in consult["get"]["responses"]["200"]["headers"]
    for method in ("put", "patch"):
        assert {"name": "If-Match", "in": "header"}.items() <= next(
            p for p in consult[method]["parameters"] if p["name"] == "If-Match"
        ).items()
        assert "412" in consult[method]["responses"]
        assert "ETag" in consult[method]["responses"]["200"]["headers"]
