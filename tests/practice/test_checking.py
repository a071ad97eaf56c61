"""`practice.checking`: what a consult's check asks the rules, and its findings in words.

The inputs are built once, for the saved consult and for the consult form as it stands
on the page; both must ask the same when the form holds what is saved. The presenter
words a finding for each reader, from a live check's `Finding` and from an issued
snapshot's finding alike; "nothing recorded" (`no_data`) never reads as safe."""

import dataclasses
import datetime
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import QueryDict
from django.utils.translation import override

from gutbrain.interactions import LEVEL_ORDER, Finding, NutrientResult
from gutbrain.interactions.rules import MedicineClassRule, OwnSupplement
from gutbrain.models import Indication, Nutrient
from practice.checking import (
    CHECK_PREFETCH,
    CheckInputs,
    Draft,
    Reader,
    WordedResult,
    check_consult,
    check_inputs,
    check_summary,
    left_out_because,
    level_words,
    word_finding,
    word_results,
)
from practice.forms import ConsultForm, LineChoices, LineFormSet
from practice.models import ClientSupplement, Consult, SupplementLine
from tests.factories import (
    ClientFactory,
    ClientMedicationFactory,
    ConsultFactory,
    SupplementLineFactory,
)
from tests.practice.views.formdata import consult_data, line

FINDING_LEVELS = ("avoid", "consult", "monitor", "separate_intake", "no_data")
SEDATIVES = MedicineClassRule(
    slug="sedatives", name_nl="Kalmeringsmiddelen", name_en="Sedatives", prefixes=("N05",)
)
MEDICINE_NAMES = {"N05BA04": "oxazepam", "N05CD08": ""}


def finding(level: str = "avoid", reason: str = "medicine", **fields) -> Finding:
    defaults = {
        "atc_codes": ("N05BA04", "N05CD08") if reason in ("medicine", "any_medicine") else (),
        "medicine_class": SEDATIVES if reason == "medicine" else None,
        "advice_nl": "Niet combineren met kalmeringsmiddelen.",
        "advice_en": "Do not combine with sedatives.",
        "references": (12,),
        "client_advice_nl": "Gebruik dit niet naast {medicines}.",
        "client_advice_en": "Do not use this with {medicines}.",
    }
    return Finding(level=level, reason=reason, **(defaults | fields))


def as_issued(finding: Finding) -> dict:
    """The finding as an issued snapshot stores it: plain JSON data."""
    data = dataclasses.asdict(finding)
    data["atc_codes"] = list(data["atc_codes"])
    data["references"] = list(data["references"])
    if data["medicine_class"]:
        data["medicine_class"] = {
            key: data["medicine_class"][key] for key in ("slug", "name_nl", "name_en")
        }
    return data


# The check's inputs -----------------------------------------------------------------------


@pytest.fixture
def consult(knowledge_base, practitioner):
    client = ClientFactory(practitioner=practitioner)
    ClientMedicationFactory(client=client, atc_code="N06AF03", name="fenelzine")
    ClientMedicationFactory(client=client, atc_code="H03AA01", name="")
    nutrients = Nutrient.objects.in_bulk(field_name="slug")
    ClientSupplement.objects.create(client=client, name="Zink 15 mg", nutrient=nutrients["zinc"])
    ClientSupplement.objects.create(client=client, name="Sint-janskruid")
    consult = ConsultFactory(client=client, pregnant=True, date=datetime.date(2026, 11, 2))
    for order, slug in enumerate(["tryptophan", "magnesium"]):
        SupplementLineFactory(consult=consult, nutrient=nutrients[slug], order=order)
    return consult


def loaded(consult: Consult) -> Consult:
    """The consult as the consult page loads it."""
    return Consult.objects.prefetch_related(
        *CHECK_PREFETCH,
        Prefetch(
            "lines", SupplementLine.objects.select_related("nutrient").order_by("order", "pk")
        ),
    ).get(pk=consult.pk)


def live_draft(data: dict) -> Draft:
    """The draft the consult page checks for posted form data."""
    posted = QueryDict(urlencode(data, doseq=True))
    form = ConsultForm(posted, indications=Indication.objects.order_by("order", "slug"))
    lines = LineFormSet(posted, prefix="lines", form_kwargs={"choices": LineChoices.load()})
    return Draft(
        nutrients=lines.chosen_nutrients(),
        pregnant=form.flag("pregnant"),
        breastfeeding=form.flag("breastfeeding"),
    )


@pytest.mark.django_db
def test_the_saved_consult_asks_about_its_lines_own_supplements_medicines_and_states(consult):
    assert check_inputs(loaded(consult)) == CheckInputs(
        nutrients=("tryptophan", "magnesium"),
        atc_codes=("H03AA01", "N06AF03"),  # by name, as the client's record lists them
        pregnant=True,
        breastfeeding=False,
        medicine_names={"H03AA01": "", "N06AF03": "fenelzine"},
        own_supplements=(
            OwnSupplement(name="Sint-janskruid", nutrient=None),
            OwnSupplement(name="Zink 15 mg", nutrient="zinc"),
        ),
    )


@pytest.mark.django_db
def test_the_live_form_holding_what_is_saved_asks_what_the_saved_consult_asks(consult):
    saved = loaded(consult)
    draft = live_draft(
        consult_data(lines=[line("tryptophan"), line("magnesium")], pregnant=True, action="")
    )

    assert check_inputs(saved, draft) == check_inputs(saved)
    assert check_consult(saved, draft=draft).digest == check_consult(saved).digest


@pytest.mark.django_db
def test_the_live_form_replaces_the_lines_and_states_never_the_medicines_or_own_supplements(
    consult,
):
    saved = loaded(consult)
    draft = live_draft(consult_data(lines=[line("saffron")], breastfeeding=True, action=""))

    inputs = check_inputs(saved, draft)

    assert (inputs.nutrients, inputs.pregnant, inputs.breastfeeding) == (("saffron",), False, True)
    saved_inputs = check_inputs(saved)
    assert inputs.atc_codes == saved_inputs.atc_codes
    assert inputs.medicine_names == saved_inputs.medicine_names
    assert inputs.own_supplements == saved_inputs.own_supplements


@pytest.mark.django_db
def test_the_inputs_of_a_loaded_consult_cost_no_query(consult, django_assert_num_queries):
    saved = loaded(consult)
    with django_assert_num_queries(0):
        check_inputs(saved)
        check_inputs(saved, Draft(nutrients=["zinc"], pregnant=False, breastfeeding=False))


@pytest.mark.django_db
def test_a_line_whose_nutrient_was_unpublished_is_refused_rather_than_passed_as_checked(
    consult,
):
    Nutrient.objects.filter(slug="tryptophan").update(is_published=False)

    with pytest.raises(ValidationError) as refused:
        check_consult(loaded(consult))

    assert refused.value.code == "unpublished_nutrient"


# Levels in words --------------------------------------------------------------------------


@pytest.mark.parametrize("reader", list(Reader))
def test_every_reader_has_words_of_their_own_for_every_level(reader):
    for language in ("nl", "en"):
        with override(language):
            words = [level_words(level, reader) for level in LEVEL_ORDER]
        assert all(words)
        assert len(set(words)) == len(LEVEL_ORDER)


@pytest.mark.parametrize(
    ("language", "negation", "safe"), [("nl", "niet", "veilig"), ("en", "not", "safe")]
)
@pytest.mark.parametrize("reader", list(Reader))
def test_nothing_recorded_never_reads_as_safe(reader, language, negation, safe):
    with override(language):
        words = level_words("no_data", reader).lower()
        reassuring = {level_words("none_known", reader), level_words("clear", reader)}
    assert negation in words and safe in words
    assert words not in {w.lower() for w in reassuring}


def test_the_client_reads_no_level_jargon_and_staff_and_physician_read_the_same_terms():
    with override("nl"):
        assert level_words("avoid", Reader.CLIENT) == "Afgeraden"
        assert (
            level_words("monitor", Reader.STAFF)
            == "effecten monitoren en/of overleggen met de arts"
        )
        assert "monitor" not in level_words("monitor", Reader.CLIENT).lower()
        for level in LEVEL_ORDER:
            assert level_words(level, Reader.PHYSICIAN) == level_words(level, Reader.STAFF)


# Findings in words ------------------------------------------------------------------------


@pytest.mark.parametrize("level", FINDING_LEVELS)
@pytest.mark.parametrize("reader", list(Reader))
def test_a_finding_reads_the_same_live_and_issued(reader, level):
    for reason in ("medicine", "any_medicine", "pregnancy"):
        live = finding(level, reason)
        with override("nl"):
            assert word_finding(as_issued(live), MEDICINE_NAMES, reader) == word_finding(
                live, MEDICINE_NAMES, reader
            )


@pytest.mark.parametrize("level", FINDING_LEVELS)
@pytest.mark.parametrize("reader", list(Reader))
def test_a_findings_level_is_in_the_readers_words(reader, level):
    with override("nl"):
        worded = word_finding(finding(level), MEDICINE_NAMES, reader)
        assert (worded.level, worded.level_label) == (level, level_words(level, reader))


def test_the_staff_read_the_class_in_running_text_and_each_medicine_by_name_and_code():
    with override("nl"):
        words = [
            word_finding(finding(reason=reason), MEDICINE_NAMES, Reader.STAFF).concerns
            for reason in ("medicine", "any_medicine", "pregnancy", "breastfeeding")
        ]
    assert words == [
        "kalmeringsmiddelen – oxazepam (N05BA04), N05CD08",
        "elk medicijn – oxazepam (N05BA04), N05CD08",
        "zwangerschap",
        "borstvoeding",
    ]


def test_the_physician_reads_the_class_and_the_medicines_or_else_the_state():
    with override("nl"):
        words = [
            word_finding(finding(reason=reason), MEDICINE_NAMES, Reader.PHYSICIAN).concerns
            for reason in ("medicine", "any_medicine", "pregnancy", "breastfeeding")
        ]
    assert words == [
        "kalmeringsmiddelen: oxazepam (N05BA04), N05CD08",
        "oxazepam (N05BA04), N05CD08",
        "zwangerschap",
        "borstvoeding",
    ]


def test_the_staff_and_physician_read_the_source_and_the_client_reads_an_instruction():
    live = finding()
    with override("nl"):
        staff = word_finding(live, MEDICINE_NAMES, Reader.STAFF)
        physician = word_finding(live, MEDICINE_NAMES, Reader.PHYSICIAN)
        client = word_finding(live, MEDICINE_NAMES, Reader.CLIENT)
    assert staff.advice == physician.advice == "Niet combineren met kalmeringsmiddelen."
    assert staff.references == physician.references == (12,)
    instruction = "Gebruik dit niet naast oxazepam en N05CD08."
    assert client.advice == staff.client_advice == physician.client_advice == instruction


def test_the_client_reads_no_code_and_no_class_name():
    names = {"N05BA04": "oxazepam", "N05CD08": "midazolam"}
    with override("nl"):
        for reason in ("medicine", "any_medicine", "pregnancy", "breastfeeding"):
            client = word_finding(finding(reason=reason), names, Reader.CLIENT)
            assert client.concerns in {"uw medicijnen", "zwangerschap", "borstvoeding"}
            assert "N05" not in client.advice
            assert "almeringsmiddelen" not in client.concerns + client.advice


@pytest.mark.parametrize("level", FINDING_LEVELS)
def test_a_row_without_a_client_text_gives_an_instruction_no_weaker_than_its_level(level):
    unwritten = finding(level, "any_medicine", client_advice_nl="", client_advice_en="")
    with override("nl"):
        advice = word_finding(unwritten, MEDICINE_NAMES, Reader.CLIENT).advice
    assert "oxazepam en N05CD08" in advice
    expected = {
        "avoid": "Gebruik dit niet",
        "consult": "Overleg",
        "monitor": "Let op",
        "separate_intake": "niet tegelijk",
        "no_data": "niet dat het veilig is",
    }[level]
    assert expected in advice


def test_nothing_recorded_in_pregnancy_never_reads_as_safe_to_any_reader():
    # As the rules word it (`rules.NO_DATA_ADVICE`, `NO_DATA_CLIENT_ADVICE`).
    unknown = finding(
        "no_data",
        "pregnancy",
        advice_nl="De bron vermeldt niets over gebruik tijdens de zwangerschap. Dat "
        "betekent niet dat het veilig is.",
        client_advice_nl="Over gebruik tijdens de zwangerschap is niets bekend. Dat betekent "
        "niet dat het veilig is: vraag het uw arts of verloskundige.",
        references=(),
    )
    with override("nl"):
        for reader in Reader:
            worded = word_finding(unknown, {}, reader)
            assert "niet dat het veilig is" in worded.advice
            assert "niet" in worded.level_label and "veilig" in worded.level_label
        unwritten = dataclasses.replace(unknown, client_advice_nl="", client_advice_en="")
        advice = word_finding(unwritten, {}, Reader.CLIENT).advice
    assert (
        advice == "Overleg met uw arts of verloskundige voordat u dit gebruikt als u zwanger bent."
    )


def test_a_checks_answers_read_the_same_live_and_issued():
    live = [
        NutrientResult("valerian", "avoid", (finding(),), "protocol"),
        NutrientResult("zinc", "no_data", (), "own_supplement"),
    ]
    issued = [
        {
            "nutrient": r.nutrient,
            "level": r.level,
            "source": r.source,
            "findings": [as_issued(f) for f in r.findings],
        }
        for r in live
    ]
    names = {"valerian": "Valeriaan", "zinc": "Zink"}
    with override("nl"):
        worded = word_results(live, names, MEDICINE_NAMES, Reader.PHYSICIAN)
        assert word_results(issued, names, MEDICINE_NAMES, Reader.PHYSICIAN) == worded
    assert [(r.name, r.level, r.own_supplement) for r in worded] == [
        ("Valeriaan", "avoid", False),
        ("Zink", "no_data", True),
    ]
    assert worded[0].findings[0].concerns == "kalmeringsmiddelen: oxazepam (N05BA04), N05CD08"


def test_the_summary_lists_what_needs_attention_most_serious_first_nothing_recorded_included():
    def result(name: str, level: str) -> WordedResult:
        return WordedResult(
            nutrient=name, name=name, level=level, findings=(), own_supplement=False
        )

    results = [
        result("Saffraan", "none_known"),
        result("Zink", "no_data"),
        result("Magnesium", "separate_intake"),
        result("Bacopa", "clear"),
        result("Tryptofaan", "avoid"),
        result("Melatonine", "no_data"),
    ]
    assert check_summary(results) == [
        ("avoid", ["Tryptofaan"]),
        ("separate_intake", ["Magnesium"]),
        ("no_data", ["Zink", "Melatonine"]),
    ]


def test_a_suggestion_left_out_says_why_in_the_staffs_words():
    with override("en"):
        assert left_out_because(finding(reason="pregnancy")) == "advised against during pregnancy"
        assert left_out_because(finding(reason="breastfeeding")) == (
            "advised against while breastfeeding"
        )
        assert left_out_because(finding()) == ("advised against with sedatives (N05BA04, N05CD08)")
        assert left_out_because(finding(reason="any_medicine")) == (
            "advised against with medicines (N05BA04, N05CD08)"
        )
