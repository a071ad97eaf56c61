"""The consult page when someone else saved the consult while it was being edited."""

from django.urls import reverse

from practice.models import Consult
from tests.practice.views.formdata import consult_data, line
from tests.practice.views.texts import nl

CHANGED = (
    "Someone else saved this consult while you were editing it. Your changes have not been saved."
)


def url(consult: Consult) -> str:
    return reverse("practice:consult-detail", args=[consult.pk])


def form(consult: Consult, revision: int, notes: str) -> dict:
    data = consult_data(
        lines=[line("magnesium"), line("saffron")], notes=notes, date=consult.date, initial=2
    )
    return {**data, "revision": str(revision)}


def test_the_form_carries_the_version_it_was_loaded_with(web, sannes_consult):
    sannes_consult.save()  # revision 2

    content = web.get(url(sannes_consult)).content.decode()

    assert '<input type="hidden" name="revision" value="2"' in content


def test_saving_the_version_loaded_saves_and_counts_it_up(web, sannes_consult):
    response = web.post(url(sannes_consult), form(sannes_consult, 1, "Slaapt beter."))

    assert response.status_code == 302
    sannes_consult.refresh_from_db()
    assert (sannes_consult.notes, sannes_consult.revision) == ("Slaapt beter.", 2)


def test_saving_over_a_consult_changed_meanwhile_writes_nothing_and_says_so(web, sannes_consult):
    loaded = web.get(url(sannes_consult)).context["form"]["revision"].value()
    sannes_consult.notes = "Door een collega opgeslagen."
    sannes_consult.save()

    response = web.post(url(sannes_consult), form(sannes_consult, loaded, "Mijn aantekening."))

    assert response.status_code == 409
    content = response.content.decode()
    assert nl(CHANGED) in content
    assert 'role="alert"' in content
    # The form is kept as typed.
    assert "Mijn aantekening." in content
    assert [f["nutrient"].value() for f in response.context["lines"].forms][:2] == [
        "magnesium",
        "saffron",
    ]
    # Nothing was written.
    sannes_consult.refresh_from_db()
    assert sannes_consult.notes == "Door een collega opgeslagen."
    assert sannes_consult.revision == 2
    assert [line.nutrient.slug for line in sannes_consult.lines.order_by("order")] == [
        "magnesium",
        "tryptophan",
    ]


def test_saving_again_after_the_warning_replaces_the_other_change(web, sannes_consult):
    sannes_consult.save()
    conflict = web.post(url(sannes_consult), form(sannes_consult, 1, "Mijn aantekening."))
    kept_revision = conflict.context["form"]["revision"].value()
    assert kept_revision == "2"

    response = web.post(url(sannes_consult), form(sannes_consult, kept_revision, "Toch deze."))

    assert response.status_code == 302
    sannes_consult.refresh_from_db()
    assert sannes_consult.notes == "Toch deze."


def test_a_form_without_a_version_is_saved_as_before(web, sannes_consult):
    data = form(sannes_consult, 1, "Zonder versie.")
    del data["revision"]
    sannes_consult.save()

    response = web.post(url(sannes_consult), data)

    assert response.status_code == 302
    sannes_consult.refresh_from_db()
    assert sannes_consult.notes == "Zonder versie."
