"""Staff texts from the Dutch review (2 December 2026): a class name after "Betreft:" or in
a sentence in lower case (abbreviations keep their capitals), and an error summary that
never prints "?:"."""

import datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import formats, translation

from gutbrain.interactions.rules import Finding, MedicineClassRule
from practice.suggestions import Omission, omission_reason
from practice.views.common import error_summary
from tests.factories import ClientMedicationFactory
from tests.practice.views.formdata import consult_data, line


def sedatives_finding(name_nl: str = "Kalmeringsmiddelen") -> Finding:
    return Finding(
        level="avoid",
        reason="medicine",
        atc_codes=("N05BA04",),
        medicine_class=MedicineClassRule(
            slug="sedatives", name_nl=name_nl, name_en="Sedatives", prefixes=("N05",)
        ),
        advice_nl="",
        advice_en="",
        references=(),
    )


@pytest.mark.django_db
def test_the_check_panel_names_the_class_in_lower_case_after_betreft(web, knowledge_base, consult):
    ClientMedicationFactory(client=consult.client, atc_code="N05BA04", name="oxazepam")
    ClientMedicationFactory(client=consult.client, atc_code="N06AF03", name="fenelzine")
    data = consult_data(action="", lines=[line("lemon-balm"), line("tryptophan")])

    html = web.post(reverse("practice:consult-check", args=[consult.pk]), data).content.decode()

    assert "Betreft: kalmeringsmiddelen – oxazepam (N05BA04)" in " ".join(html.split())
    assert "MAO-remmers – fenelzine (N06AF03)" in " ".join(html.split())
    assert "Kalmeringsmiddelen –" not in html


def test_a_suggestion_left_out_names_the_class_in_lower_case():
    omission = Omission(nutrient="valerian", name="Valeriaan", findings=(sedatives_finding(),))

    with translation.override("nl"):
        reason = omission_reason(omission)

    assert "kalmeringsmiddelen (N05BA04)" in reason
    assert "Kalmeringsmiddelen" not in reason


def test_a_suggestion_left_out_keeps_an_abbreviations_capitals():
    omission = Omission(
        nutrient="tryptophan", name="Tryptofaan", findings=(sedatives_finding("MAO-remmers"),)
    )

    with translation.override("nl"):
        assert "MAO-remmers (N05BA04)" in omission_reason(omission)


class IssueLikeForm(forms.Form):
    reason = forms.CharField(label="Waarom adviseert u magnesium, hoewel het wordt afgeraden?")
    name = forms.CharField(label="Naam")


def test_the_error_summary_sets_a_question_apart_from_its_error():
    form = IssueLikeForm(data={})

    with translation.override("nl"):
        texts = [item.text for item in error_summary(form)]

    assert texts == [
        "Waarom adviseert u magnesium, hoewel het wordt afgeraden? — Dit veld is vereist.",
        "Naam: Dit veld is vereist.",
    ]
    assert not any("?:" in text for text in texts)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_dates_are_written_day_first_in_both_languages(language):
    day = datetime.date(2026, 12, 2)
    with translation.override(language):
        words = formats.date_format(day)
        short = formats.date_format(day, "SHORT_DATE_FORMAT")
        typed = forms.DateField().clean("02-12-2026")
        shown = forms.DateInput().format_value(day)

    assert words == {"nl": "2 december 2026", "en": "2 December 2026"}[language]
    assert short == "02-12-2026"
    assert typed == day
    assert shown == "02-12-2026"
