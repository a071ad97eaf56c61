"""Factories for the knowledge-base objects that `tests/factories.py` does not cover yet."""

import factory

from gutbrain import models as kb
from tests.factories import EvidenceSummaryFactory, IndicationFactory, NutrientFactory, TopicFactory


class FoodSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.FoodSource

    nutrient = factory.SubFactory(NutrientFactory)
    name_nl = factory.Sequence(lambda n: f"Voedingsmiddel {n}")
    name_en = factory.Sequence(lambda n: f"Food {n}")


class IndicationSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.IndicationSupport

    indication = factory.SubFactory(IndicationFactory)
    nutrient = factory.SubFactory(NutrientFactory)


class EvidenceOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.EvidenceOutcome

    summary = factory.SubFactory(EvidenceSummaryFactory)
    measure_nl = "Stressschaal"
    measure_en = "Stress scale"
    result_nl = "Daling."
    result_en = "Fall."


class PathwayStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kb.PathwayStep

    topic = factory.SubFactory(TopicFactory)
    order = factory.Sequence(lambda n: n)
    substance_nl = "Tryptofaan"
    substance_en = "Tryptophan"
