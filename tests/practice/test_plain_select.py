"""`PlainSelect` writes the very HTML of Django's `Select`, only faster."""

import pytest
from django import forms

from practice.forms import LineChoices, LineForm, PlainSelect

CHOICES = [
    ("", "— kies —"),
    ("a&b", 'Vitamine "B" <complex>'),
    ("Groep <1>", [("1", "één"), ("2", "twee")]),
    (3, "drie"),
]


@pytest.mark.parametrize("value", [None, "", "a&b", "2", 3, ["1", "2"]])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_x", "hx-get": "/a?b=1&c=2", "required": True, "disabled": False}],
)
def test_it_writes_what_djangos_select_writes(value, attrs):
    ours = PlainSelect(choices=CHOICES).render("lines-0-form", value, attrs)
    djangos = forms.Select(choices=CHOICES).render("lines-0-form", value, attrs)
    assert ours == djangos


@pytest.mark.parametrize("bound", [False, True])
def test_a_lines_selects_are_djangos(knowledge_base, bound):
    choices = LineChoices.read()
    data = {"nutrient": "magnesium", "form": "999", "dose_unit": "mg"} if bound else None
    form = LineForm(data, choices=choices, initial={"nutrient": "zinc"})
    for name in ("nutrient", "form", "dose_unit", "frequency", "timing"):
        field = form[name]
        django_widget = forms.Select(
            attrs=field.field.widget.attrs, choices=field.field.widget.choices
        )
        assert str(field) == field.as_widget(widget=django_widget), name
