"""`consult_update` replaces fields, complaints and lines in one transaction: when the
database refuses a later line, the consult keeps everything it had."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from gutbrain.models import NutrientForm
from practice.services import LineInput, consult_update
from tests.factories import (
    ConsultFactory,
    IndicationFactory,
    NutrientFactory,
    NutrientFormFactory,
    SupplementLineFactory,
)


def test_a_line_the_database_refuses_keeps_the_old_lines_complaints_and_fields(db):
    magnesium = NutrientFactory(slug="magnesium")
    tryptophan = NutrientFactory(slug="tryptophan")
    saffron = NutrientFactory(slug="saffron")
    stress = IndicationFactory(slug="stress")
    consult = ConsultFactory(notes="Oud.", pregnant=False)
    consult.complaints.set([stress])
    SupplementLineFactory(consult=consult, nutrient=saffron, dose_amount=Decimal("30"))
    NutrientFormFactory(nutrient=magnesium, slug="citrate")
    # The form as the request read it ...
    citrate = NutrientForm.objects.get(slug="citrate")
    # ... moved to another nutrient by a curator before the lines are written: the
    # model's clean() still sees magnesium, the database's trigger sees tryptophan.
    NutrientForm.objects.filter(pk=citrate.pk).update(nutrient=tryptophan)

    with pytest.raises(IntegrityError):
        consult_update(
            consult=consult,
            fields={"notes": "Nieuw.", "pregnant": True},
            complaints=[IndicationFactory(slug="sleep-problems")],
            lines=[
                LineInput(nutrient=tryptophan, dose_amount=Decimal("500"), dose_unit="mg"),
                LineInput(nutrient=saffron, dose_amount=Decimal("30"), dose_unit="mg"),
                LineInput(
                    nutrient=magnesium, form=citrate, dose_amount=Decimal("200"), dose_unit="mg"
                ),
            ],
        )

    consult.refresh_from_db()
    assert (consult.notes, consult.pregnant) == ("Oud.", False)
    assert list(consult.complaints.values_list("slug", flat=True)) == ["stress"]
    assert list(consult.lines.values_list("nutrient__slug", "dose_amount")) == [
        ("saffron", Decimal("30"))
    ]
