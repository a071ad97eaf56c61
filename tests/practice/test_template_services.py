"""Protocol templates: saved from lines, shared with the practice, deleted."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from practice.models import ProtocolTemplate, TemplateLine
from practice.services import LineInput, template_create, template_delete, template_set_shared
from tests.factories import (
    IndicationFactory,
    NutrientFactory,
    NutrientFormFactory,
    PracticeFactory,
    UserFactory,
)


@pytest.fixture
def magnesium(db):
    return NutrientFactory(slug="magnesium")


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def practice(db):
    return PracticeFactory()


def test_it_keeps_the_lines_in_order_with_forms_and_complaints(magnesium, owner, practice):
    bisglycinate = NutrientFormFactory(nutrient=magnesium, slug="bisglycinate")
    saffron = NutrientFactory(slug="saffron")
    stress = IndicationFactory(slug="stress")
    template = template_create(
        owner=owner,
        practice=practice,
        name="  Stress en darm ",
        complaints=[stress],
        lines=[
            LineInput(
                nutrient=magnesium, form=bisglycinate, dose_amount=Decimal(200), dose_unit="mg"
            ),
            LineInput(nutrient=saffron, dose_amount=Decimal(30), dose_unit="mg", timing="evening"),
        ],
    )
    assert template.name == "Stress en darm"
    assert not template.shared
    assert list(template.complaints.all()) == [stress]
    rows = list(template.lines.values_list("order", "nutrient__slug", "form__slug", "timing"))
    assert rows == [(1, "magnesium", "bisglycinate", "morning"), (2, "saffron", None, "evening")]


def test_a_template_without_lines_is_refused(owner, practice):
    with pytest.raises(ValidationError) as caught:
        template_create(owner=owner, practice=practice, name="Leeg", lines=[])
    assert "lines" in caught.value.message_dict
    assert not ProtocolTemplate.objects.exists()


def test_a_second_template_of_the_same_name_is_refused_whatever_the_case(
    magnesium, owner, practice
):
    line = LineInput(nutrient=magnesium, dose_amount=Decimal(200), dose_unit="mg")
    template_create(owner=owner, practice=practice, name="Slaap", lines=[line])
    with pytest.raises(ValidationError) as caught:
        template_create(owner=owner, practice=practice, name="slaap", lines=[line])
    assert "name" in caught.value.message_dict
    assert ProtocolTemplate.objects.count() == 1


def test_a_bad_line_leaves_no_template(magnesium, owner, practice):
    other_form = NutrientFormFactory(slug="bisglycinate")  # of another nutrient
    with pytest.raises(ValidationError) as caught:
        template_create(
            owner=owner,
            practice=practice,
            name="Fout",
            lines=[
                LineInput(nutrient=magnesium, dose_amount=Decimal(200), dose_unit="mg"),
                LineInput(
                    nutrient=magnesium, form=other_form, dose_amount=Decimal(1), dose_unit="mg"
                ),
            ],
        )
    assert "lines" in caught.value.message_dict
    assert not ProtocolTemplate.objects.exists()
    assert not TemplateLine.objects.exists()


def test_sharing_and_deleting(magnesium, owner, practice):
    line = LineInput(nutrient=magnesium, dose_amount=Decimal(200), dose_unit="mg")
    template = template_create(owner=owner, practice=practice, name="Slaap", lines=[line])
    template_set_shared(template=template, shared=True)
    template.refresh_from_db()
    assert template.shared
    template_delete(template=template)
    assert not ProtocolTemplate.objects.exists()
    assert not TemplateLine.objects.exists()
