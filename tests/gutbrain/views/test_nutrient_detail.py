"""`gutbrain:nutrient-detail`: everything the knowledge base holds on one nutrient."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from gutbrain.models import (
    EvidenceOutcome,
    FoodSource,
    IndicationSupport,
    Interaction,
    Level,
    Nutrient,
)
from tests.factories import (
    EvidenceSummaryFactory,
    IndicationFactory,
    InteractionFactory,
    MedicineClassFactory,
    NutrientFactory,
    NutrientFormFactory,
    ReferenceFactory,
)

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def url(slug: str) -> str:
    return reverse("gutbrain:nutrient-detail", args=[slug])


def ashwagandha(rows: int = 1) -> Nutrient:
    """Ashwagandha with `rows` of every kind of related record."""
    nutrient = NutrientFactory(
        slug="ashwagandha",
        name_nl="Ashwagandha",
        name_en="Ashwagandha",
        figure_number=5,
        description_nl="Ashwagandha kan binden aan GABA-receptoren.",
        description_en="Ashwagandha can bind to GABA receptors.",
        mechanisms_en="Lowers cortisol\nRaises serotonin",
        usual_dose_amount=300,
        usual_dose_unit="mg",
        usual_dose_en="300 mg per day",
    )
    nutrient.references.add(ReferenceFactory(number=41))
    for n in range(rows):
        NutrientFormFactory(
            nutrient=nutrient,
            slug=f"form-{n}",
            name_en=f"Root extract {n}",
            application_en=f"Application {n}",
            order=n,
        ).references.add(ReferenceFactory(number=200 + n))
        FoodSource.objects.create(
            nutrient=nutrient, name_nl=f"Voedsel {n}", name_en=f"Food {n}"
        ).references.add(ReferenceFactory(number=100 + n))
        IndicationSupport.objects.create(
            nutrient=nutrient,
            indication=IndicationFactory(slug=f"factor-{n}", name_en=f"Factor {n}", order=n),
            note_en=f"Note {n}",
        ).references.add(ReferenceFactory(number=300 + n))
        summary = EvidenceSummaryFactory(
            nutrient=nutrient,
            title_en=f"Trial {n}",
            population_en="64 people with long-term stress",
            participants=64,
            dose_amount=300,
            dose_unit="mg",
            duration_days=60,
            comparator_en="placebo",
            certainty="low",
            order=n,
        )
        summary.references.add(ReferenceFactory(number=42))
        EvidenceOutcome.objects.create(
            summary=summary,
            measure_en="Anxiety scale",
            intervention_change=Decimal("-75.6"),
            comparator_change=Decimal("4.3"),
            result_en="75.6% fall against a 4.3% rise with placebo",
        )
        EvidenceOutcome.objects.create(
            summary=summary, measure_en="Cortisol", result_en="A stronger fall of cortisol"
        )
        InteractionFactory(
            nutrient=nutrient,
            medicine_class=MedicineClassFactory(
                slug=f"class-{n}", name_en=f"Sedatives {n}", atc_prefixes="N05BA, N05CD"
            ),
            level=Level.MONITOR,
            advice_en=f"Monitor the effects {n}.",
        ).references.add(ReferenceFactory(number=400 + n))
    return nutrient


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    NutrientFactory(slug="zinc")
    response = client.get(url("zinc"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_answers_404_for_an_unknown_slug(staff_client):
    assert staff_client.get(url("unicorn-horn")).status_code == 404


def test_it_answers_404_for_an_unpublished_nutrient(staff_client):
    NutrientFactory(slug="draft", is_published=False)
    assert staff_client.get(url("draft")).status_code == 404


def test_it_shows_what_the_knowledge_base_holds(staff_client):
    ashwagandha()

    html = staff_client.get(url("ashwagandha"), headers=EN).content.decode()

    assert "<h1>Ashwagandha</h1>" in html
    assert "300 mg per day" in html
    assert "Ashwagandha can bind to GABA receptors." in html
    assert "<li>Lowers cortisol</li><li>Raises serotonin</li>" in html
    assert "Root extract 0" in html and "Application 0" in html
    assert "<li>Food 0 " in html
    assert "Factor 0" in html and "Note 0" in html
    assert "Trial 0" in html
    assert "64 people with long-term stress" in html
    assert "60 days" in html and "placebo" in html
    assert "Randomised controlled trial" in html


def test_it_lists_every_reference_used_once(staff_client):
    ashwagandha(rows=2)

    response = staff_client.get(url("ashwagandha"))

    numbers = [ref.number for ref in response.context["references"]]
    assert numbers == [41, 42, 100, 101, 200, 201, 300, 301, 400, 401]


def test_each_food_source_shows_its_references(staff_client):
    ashwagandha(rows=2)

    html = staff_client.get(url("ashwagandha"), headers=EN).content.decode()

    assert '<li>Food 0 <span class="refs">Ref. 100</span></li>' in html


def test_it_draws_the_outcomes_with_figures_and_lists_the_others_as_text(staff_client):
    ashwagandha()

    html = staff_client.get(url("ashwagandha"), headers=EN).content.decode()

    start = html.index("<svg")
    chart = ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])
    labels = " ".join("".join(t.itertext()) for t in chart.iter("{http://www.w3.org/2000/svg}text"))
    assert "−75.6%" in labels and "+4.3%" in labels and "Anxiety scale" in labels
    assert "Cortisol" not in labels
    assert "<strong>Cortisol</strong>: A stronger fall of cortisol" in html


def test_its_interactions_table_shows_class_prefixes_level_advice_and_references(staff_client):
    ashwagandha()

    html = staff_client.get(url("ashwagandha"), headers=EN).content.decode()

    assert "Sedatives 0" in html
    assert "<code>N05BA</code>, <code>N05CD</code>" in html
    assert '<span class="level level-monitor">monitor effects and/or consult</span>' in html
    assert "Monitor the effects 0." in html
    assert "Ref. 400" in html


def test_a_nutrient_without_rows_shows_that_nothing_is_recorded_which_is_not_safe(
    staff_client,
):
    NutrientFactory(slug="zinc", name_en="Zinc")

    html = staff_client.get(url("zinc"), headers=EN).content.decode()

    assert "Nothing recorded on interactions — this does not mean it is safe." in html
    assert 'class="notice notice-no-data"' in html
    assert "level-none-known" not in html and "level-clear" not in html
    assert "No interactions known" not in html


def test_a_none_known_row_is_a_source_statement_not_an_all_clear(staff_client):
    prebiotics = NutrientFactory(slug="prebiotics", name_en="Prebiotics")
    InteractionFactory(
        nutrient=prebiotics,
        target=Interaction.Target.ANY_MEDICINE,
        medicine_class=None,
        level=Level.NONE_KNOWN,
        advice_en="No interactions known.",
    )

    html = staff_client.get(url("prebiotics"), headers=EN).content.decode()

    assert (
        '<span class="level level-none-known">no interactions known</span>\n  '
        '<span class="level-note">(source statement)</span>'
    ) in html
    assert "notice-no-data" not in html
    assert "level-clear" not in html


def test_it_shows_the_nutrient_in_dutch_by_default(staff_client):
    NutrientFactory(slug="lemon-balm", name_nl="Citroenmelisse", name_en="Lemon balm")

    html = staff_client.get(url("lemon-balm")).content.decode()

    assert '<html lang="nl">' in html and "<h1>Citroenmelisse</h1>" in html


def test_it_shows_the_nutrient_in_english_when_asked(staff_client):
    NutrientFactory(slug="lemon-balm", name_nl="Citroenmelisse", name_en="Lemon balm")

    html = staff_client.get(url("lemon-balm"), headers=EN).content.decode()

    assert '<html lang="en">' in html and "<h1>Lemon balm</h1>" in html


@pytest.mark.parametrize("rows", [2, 6])
def test_its_query_count_does_not_grow_with_the_rows(staff_client, django_assert_num_queries, rows):
    ashwagandha(rows=rows)

    # 1 session, 2 user, 3 nutrient, 4 its references, 5 food sources, 6 their references,
    # 7 forms, 8 the forms' references, 9 supports with their factor, 10 the supports'
    # references, 11 evidence with its factor, 12 the evidence's references, 13 outcomes,
    # 14 interactions with their medicine class, 15 the interactions' references,
    # 16 the user's roles (the menu)
    with django_assert_num_queries(16):
        response = staff_client.get(url("ashwagandha"))

    assert len(response.context["interactions"]) == rows


@pytest.mark.parametrize(
    ("basis", "label"), [("study", "Dose used in research"), ("usual", "Usual dose")]
)
def test_the_dose_is_labelled_with_what_it_rests_on(staff_client, basis, label):
    NutrientFactory(slug="theanine", usual_dose_amount=200, usual_dose_unit="mg", dose_basis=basis)

    html = staff_client.get(url("theanine"), headers=EN).content.decode()

    assert f"<div><dt>{label}</dt><dd>200 mg</dd></div>" in html


def test_a_nutrient_without_a_dose_says_the_source_gives_none(staff_client):
    NutrientFactory(slug="zinc")

    html = staff_client.get(url("zinc"), headers=EN).content.decode()

    assert "<div><dt>Dose</dt><dd>not given in the source</dd></div>" in html


def test_a_class_row_shows_the_editors_additions_with_their_reason(staff_client):
    nutrient = NutrientFactory(slug="glutamine")
    anti_epileptics = MedicineClassFactory(
        slug="anti-epileptics",
        name_en="Anti-epileptics",
        atc_prefixes="N03",
        editor_prefixes="N02BF",
        editor_note_nl="Gabapentinoïden staan sinds ATC 2023 bij N02BF.",
        editor_note_en="Gabapentinoids are filed under N02BF since ATC 2023.",
    )
    InteractionFactory(nutrient=nutrient, medicine_class=anti_epileptics, level=Level.CONSULT)

    html = staff_client.get(url("glutamine"), headers=EN).content.decode()

    assert "<summary>editors' addition: <code>N02BF</code></summary>" in html
    assert "<p>Gabapentinoids are filed under N02BF since ATC 2023.</p>" in html
