"""Every model's changelist (searched and filtered), add page and change page open for a
curator; people who are not staff are sent to the admin login."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db.models import Model

from gutbrain import models as kb
from tests import factories
from tests.gutbrain.admin.browser import admin_url


@dataclass(frozen=True)
class Page:
    """`make` returns the object to find; where the filter is by a related object it
    makes another one first, so that the filter has a choice to make."""

    model_name: str
    make: Callable[[], Model]
    search: str
    filter: Callable[[Model], dict[str, str]]


def _summary() -> kb.EvidenceSummary:
    summary = factories.EvidenceSummaryFactory(title_nl="Stress bij studenten")
    summary.references.add(factories.ReferenceFactory(number=7))
    return summary


def _nutrient_form() -> kb.NutrientForm:
    factories.NutrientFormFactory(name_nl="Magnesiumoxide")
    return factories.NutrientFormFactory(name_nl="Magnesiumcitraat")


def _food_source() -> kb.FoodSource:
    kb.FoodSource.objects.create(
        nutrient=factories.NutrientFactory(), name_nl="Noten", name_en="Nuts"
    )
    return kb.FoodSource.objects.create(
        nutrient=factories.NutrientFactory(), name_nl="Spinazie", name_en="Spinach"
    )


def _pathway_step() -> kb.PathwayStep:
    kb.PathwayStep.objects.create(
        topic=factories.TopicFactory(), order=1, substance_nl="Serotonine", substance_en="Serotonin"
    )
    return kb.PathwayStep.objects.create(
        topic=factories.TopicFactory(),
        order=1,
        substance_nl="Tryptofaan",
        substance_en="Tryptophan",
    )


PAGES = [
    Page(
        "reference",
        lambda: kb.Reference.objects.create(number=12, citation="Lopresti 2019"),
        "Lopresti",
        lambda obj: {"citation__isempty": "0"},
    ),
    Page(
        "nutrient",
        lambda: factories.NutrientFactory(slug="ashwagandha", name_nl="Ashwagandha"),
        "ashwa",
        lambda obj: {"kind__exact": "herb"},
    ),
    Page(
        "nutrientform",
        _nutrient_form,
        "citraat",
        lambda obj: {"nutrient__id__exact": str(obj.nutrient_id)},
    ),
    Page(
        "foodsource",
        _food_source,
        "spinazie",
        lambda obj: {"nutrient__id__exact": str(obj.nutrient_id)},
    ),
    Page(
        "indication",
        lambda: factories.IndicationFactory(slug="stress", name_nl="Stress"),
        "stress",
        lambda obj: {"category__exact": "psychological"},
    ),
    Page(
        "indicationsupport",
        lambda: kb.IndicationSupport.objects.create(
            indication=factories.IndicationFactory(name_nl="Stress"),
            nutrient=factories.NutrientFactory(),
        ),
        "stress",
        lambda obj: {"indication__category__exact": "psychological"},
    ),
    Page(
        "medicineclass",
        lambda: factories.MedicineClassFactory(slug="benzodiazepines", atc_prefixes="N05BA"),
        "N05BA",
        lambda obj: {"nesting": "broad"},
    ),
    Page(
        "medicine",
        lambda: factories.MedicineFactory(name="oxazepam", atc_code="N05BA04"),
        "N05",
        lambda obj: {"atc_group": "N"},
    ),
    Page(
        "interaction",
        lambda: factories.InteractionFactory(nutrient=factories.NutrientFactory(slug="rhodiola")),
        "rhodiola",
        lambda obj: {"level__exact": "monitor"},
    ),
    Page("evidencesummary", _summary, "studenten", lambda obj: {"design__exact": "rct"}),
    Page(
        "evidenceoutcome",
        lambda: kb.EvidenceOutcome.objects.create(
            summary=_summary(),
            measure_nl="Cortisol",
            measure_en="Cortisol",
            result_nl="Daling",
            result_en="Fall",
        ),
        "cortisol",
        lambda obj: {"summary__certainty__exact": "low"},
    ),
    Page(
        "topic",
        lambda: factories.TopicFactory(slug="serotonin", title_nl="Serotonine"),
        "seroton",
        lambda obj: {"is_published__exact": "1"},
    ),
    Page(
        "pathwaystep",
        _pathway_step,
        "tryptof",
        lambda obj: {"topic__id__exact": str(obj.topic_id)},
    ),
]


def test_every_knowledge_base_model_has_a_page():
    models = {model._meta.model_name for model in kb.Localized.__subclasses__()}
    models |= {"reference", "medicine"}
    assert {page.model_name for page in PAGES} == models


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.model_name)
def test_the_changelist_finds_the_object_by_search_and_filter(curator_client, page):
    obj = page.make()
    params = {"q": page.search, **page.filter(obj)}

    response = curator_client.get(admin_url(page.model_name, "changelist"), params)

    assert response.status_code == 200
    assert response.context["cl"].has_active_filters
    assert list(response.context["cl"].result_list) == [obj]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.model_name)
def test_the_add_page_opens(curator_client, page):
    response = curator_client.get(admin_url(page.model_name, "add"))

    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.model_name)
def test_the_change_page_opens(curator_client, page):
    obj = page.make()

    response = curator_client.get(admin_url(page.model_name, "change", obj.pk))

    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.model_name)
def test_a_practitioner_is_sent_to_the_admin_login(practitioner_client, page):
    url = admin_url(page.model_name, "changelist")

    response = practitioner_client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
