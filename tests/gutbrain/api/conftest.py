"""A small knowledge base built with factories: ashwagandha with something of every
kind, the class tree sedatives > benzodiazepines, and an unpublished nutrient that must
never show."""

from decimal import Decimal

import pytest

from gutbrain import models as kb
from tests.factories import (
    EvidenceSummaryFactory,
    IndicationFactory,
    InteractionFactory,
    MedicineClassFactory,
    NutrientFactory,
    NutrientFormFactory,
    ReferenceFactory,
)
from tests.gutbrain.api.factories import (
    EvidenceOutcomeFactory,
    FoodSourceFactory,
    IndicationSupportFactory,
)


@pytest.fixture
def sedatives(db) -> kb.MedicineClass:
    return MedicineClassFactory(
        slug="sedatives", name_nl="kalmeringsmiddelen", name_en="sedatives", atc_prefixes="N05"
    )


@pytest.fixture
def benzodiazepines(sedatives) -> kb.MedicineClass:
    return MedicineClassFactory(
        slug="benzodiazepines",
        name_nl="benzodiazepinen",
        name_en="benzodiazepines",
        atc_prefixes="N05BA, N05CD",
        parent=sedatives,
    )


@pytest.fixture
def stress(db) -> kb.Indication:
    return IndicationFactory(
        slug="stress",
        name_nl="Stress",
        name_en="Stress",
        category=kb.Indication.Category.PSYCHOLOGICAL,
        figure_stage=1,
        order=1,
    )


@pytest.fixture
def ashwagandha(sedatives, stress) -> kb.Nutrient:
    nutrient = NutrientFactory(
        slug="ashwagandha",
        name_nl="Ashwagandha (Indiase ginseng)",
        name_en="Ashwagandha (Indian ginseng)",
        kind=kb.Nutrient.Kind.HERB,
        figure_number=5,
        description_nl="Een adaptogeen.",
        description_en="An adaptogen.",
        usual_dose_amount=Decimal("300"),
        usual_dose_unit="mg",
        usual_dose_nl="300 mg per dag",
        usual_dose_en="300 mg a day",
    )
    nutrient.references.set([ReferenceFactory(number=42), ReferenceFactory(number=41)])
    form = NutrientFormFactory(
        nutrient=nutrient, slug="root-extract", name_nl="Wortelextract", name_en="Root extract"
    )
    form.references.set([ReferenceFactory(number=41)])
    food = FoodSourceFactory(nutrient=nutrient, name_nl="Wortel", name_en="Root")
    food.references.set([ReferenceFactory(number=41)])
    support = IndicationSupportFactory(
        indication=stress,
        nutrient=nutrient,
        note_nl="Verlaagt cortisol.",
        note_en="Lowers cortisol.",
    )
    support.references.set([ReferenceFactory(number=42)])
    InteractionFactory(
        nutrient=nutrient,
        medicine_class=sedatives,
        level=kb.Level.MONITOR,
        advice_nl="Monitor de effecten van de kalmeringsmiddelen.",
        advice_en="Monitor the sedatives' effects.",
        client_advice_nl="U gebruikt ook een kalmeringsmiddel. Overleg met uw arts.",
        client_advice_en="You also take a sedative. Talk to your doctor.",
    )
    pregnancy = InteractionFactory(
        nutrient=nutrient,
        target=kb.Interaction.Target.PREGNANCY,
        medicine_class=None,
        level=kb.Level.AVOID,
        advice_nl="Afgeraden tijdens de zwangerschap.",
        advice_en="Advised against during pregnancy.",
    )
    pregnancy.references.set([ReferenceFactory(number=7)])
    trial = EvidenceSummaryFactory(
        nutrient=nutrient,
        indication=stress,
        title_nl="Ashwagandha bij langdurige stress",
        title_en="Ashwagandha in long-term stress",
        design=kb.EvidenceSummary.Design.RCT,
        participants=64,
        dose_amount=Decimal("300"),
        dose_unit="mg",
        duration_days=60,
        certainty=kb.EvidenceSummary.Certainty.MODERATE,
    )
    trial.references.set([ReferenceFactory(number=42)])
    EvidenceOutcomeFactory(
        summary=trial,
        measure_nl="Angstschaal",
        measure_en="Anxiety scale",
        intervention_change=Decimal("-75.6"),
        comparator_change=Decimal("4.3"),
    )
    EvidenceOutcomeFactory(
        summary=trial,
        measure_nl="Stressschaal",
        measure_en="Stress scale",
        intervention_change=Decimal("-64.2"),
        comparator_change=Decimal("-10.4"),
        order=1,
    )
    return nutrient


@pytest.fixture
def unpublished(sedatives, stress) -> kb.Nutrient:
    """A nutrient the curators have not published, with rows of every kind."""
    nutrient = NutrientFactory(
        slug="draft-herb", name_nl="Concept", name_en="Draft", is_published=False
    )
    IndicationSupportFactory(indication=stress, nutrient=nutrient)
    InteractionFactory(nutrient=nutrient, medicine_class=sedatives, level=kb.Level.AVOID)
    EvidenceSummaryFactory(nutrient=nutrient, indication=stress)
    return nutrient
