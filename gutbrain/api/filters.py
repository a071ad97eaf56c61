"""Query-string filters of the knowledge-base endpoints. Related objects go by slug."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from gutbrain import models as kb
from gutbrain.interactions.table import load_medicine_classes


class NutrientFilter(filters.FilterSet):
    indication = filters.CharFilter(
        field_name="supports__indication__slug",
        help_text=_("Slug of an indication the nutrient supports, e.g. stress."),
    )

    class Meta:
        model = kb.Nutrient
        fields = ["kind", "indication"]


class IndicationFilter(filters.FilterSet):
    nutrient = filters.CharFilter(
        method="filter_nutrient",
        help_text=_("Slug of a published nutrient that supports the indication."),
    )

    class Meta:
        model = kb.Indication
        fields = ["category", "figure_stage", "nutrient"]

    def filter_nutrient(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            supports__nutrient__slug=value, supports__nutrient__is_published=True
        )


class MedicineClassFilter(filters.FilterSet):
    parent = filters.CharFilter(
        field_name="parent__slug", help_text=_("Slug of the broader class, e.g. sedatives.")
    )

    class Meta:
        model = kb.MedicineClass
        fields = ["parent"]


class MedicineFilter(filters.FilterSet):
    atc_code = filters.CharFilter(
        method="filter_atc_code",
        help_text=_("The start of the ATC code (case does not matter), e.g. N05BA or N05BA04."),
    )
    medicine_class = filters.CharFilter(
        method="filter_medicine_class",
        help_text=_(
            "Slug of a medicine class: the medicines it applies to, those of the classes "
            "nested below it included."
        ),
    )

    class Meta:
        model = kb.Medicine
        fields = ["atc_code", "medicine_class"]

    def filter_atc_code(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(atc_code__startswith=value.strip().upper())

    def filter_medicine_class(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        prefixes = [
            p for c in load_medicine_classes().values() if c.slug == value for p in c.prefixes
        ]
        if not prefixes:
            return queryset.none()
        matches = Q()
        for prefix in prefixes:
            matches |= Q(atc_code__startswith=prefix)
        return queryset.filter(matches)


class EvidenceFilter(filters.FilterSet):
    nutrient = filters.CharFilter(
        field_name="nutrient__slug", help_text=_("Slug of the nutrient, e.g. saffron.")
    )
    indication = filters.CharFilter(
        field_name="indication__slug", help_text=_("Slug of the indication, e.g. stress.")
    )

    class Meta:
        model = kb.EvidenceSummary
        fields = ["nutrient", "indication", "design", "certainty"]


class InteractionFilter(filters.FilterSet):
    nutrient = filters.CharFilter(
        field_name="nutrient__slug", help_text=_("Slug of the nutrient, e.g. ashwagandha.")
    )
    medicine_class = filters.CharFilter(
        field_name="medicine_class__slug",
        help_text=_(
            "Slug of the medicine class the row names (only that class: rows of broader "
            "classes that also apply are not included)."
        ),
    )

    class Meta:
        model = kb.Interaction
        fields = ["nutrient", "level", "target", "medicine_class"]
