"""Rendering a protocol of snapshot schema 1 (issued before the client handout; the
frozen `practice.pdf.schema1`) from its snapshot, without a database. The handout of
schema 2 is tested in test_handout.py and test_handout_document.py.

The snapshots are built by hand in the exact shape of `practice.protocols.build_snapshot`,
so these tests also pin that the document needs nothing but the snapshot. Expected user
texts are looked up through gettext in Dutch, as the PDF is rendered: the assertions hold
now (English msgids) and once the Dutch catalogue is filled in.
"""

import copy
import hashlib
import io
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, override

from practice.pdf import render_protocol_html, render_protocol_pdf
from practice.pdf.schema1 import level_label
from practice.schedule import slot_label

ISSUED_AT = "2025-11-20T14:05:09.123456+00:00"


def both(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


FREQUENCY_LABELS = {
    "once_daily": both("eenmaal per dag", "once a day"),
    "twice_daily": both("tweemaal per dag", "twice a day"),
    "three_times_daily": both("driemaal per dag", "three times a day"),
    "as_needed": both("indien nodig", "as needed"),
}
TIMING_LABELS = {
    "morning": both("'s ochtends", "in the morning"),
    "midday": both("'s middags", "at midday"),
    "evening": both("'s avonds", "in the evening"),
    "bedtime": both("voor het slapengaan", "before bed"),
    "with_meals": both("bij de maaltijd", "with meals"),
    "between_meals": both("tussen de maaltijden", "between meals"),
}
UNIT_LABELS = {
    "mg": both("mg", "mg"),
    "µg": both("µg", "µg"),
    "capsule": both("capsule(s)", "capsule(s)"),
    "CFU": both("KVE", "CFU"),
}


def line(
    nutrient: str,
    name_nl: str,
    name_en: str,
    dose: str,
    unit: str = "mg",
    *,
    frequency: str = "once_daily",
    timing: str = "morning",
    form: tuple[str, str, str] | None = None,
    duration_weeks: int | None = 8,
    instructions: str = "",
) -> dict:
    return {
        "nutrient": nutrient,
        "nutrient_name_nl": name_nl,
        "nutrient_name_en": name_en,
        "form": form[0] if form else None,
        "form_name_nl": form[1] if form else "",
        "form_name_en": form[2] if form else "",
        "dose_amount": dose,
        "dose_unit": unit,
        "dose_unit_label": UNIT_LABELS[unit],
        "frequency": frequency,
        "frequency_label": FREQUENCY_LABELS[frequency],
        "timing": timing,
        "timing_label": TIMING_LABELS[timing],
        "duration_weeks": duration_weeks,
        "instructions": instructions,
    }


MAOI = {"slug": "mao-inhibitors", "name_nl": "MAO-remmers", "name_en": "MAO inhibitors"}


def finding(level: str, reason: str, advice_nl: str, atc_codes=(), medicine_class=None) -> dict:
    return {
        "level": level,
        "reason": reason,
        "atc_codes": list(atc_codes),
        "medicine_class": medicine_class,
        "advice_nl": advice_nl,
        "advice_en": f"(en) {advice_nl}",
        "references": [],
    }


def make_snapshot(**overrides) -> dict:
    """A protocol snapshot as `build_snapshot` writes it: a client on an MAO inhibitor and
    an SSRI, with magnesium (separate intake), tryptophan (avoid, acknowledged), zinc
    (no data), saffron (none known) and probiotics (with food sources)."""
    snapshot = {
        "schema": 1,
        "version": 2,
        "issued_at": ISSUED_AT,
        "practice": {
            "name": "Praktijk De Darmwijzer",
            "address": "Lindelaan 12\n3511 AB Utrecht",
            "phone": "030 123 45 67",
            "email": "info@darmwijzer.nl",
            "agb_code": "90012345",
        },
        "practitioner": {"name": "Anna de Vries", "agb_code": "12345678"},
        "client": {
            "name": "Sanne Bakker",
            "client_number": "C-0042",
            "date_of_birth": "1984-03-09",
        },
        "consult": {
            "id": 7,
            "date": "2025-11-19",
            "pregnant": False,
            "breastfeeding": False,
            "complaints": [{"slug": "stress", "name_nl": "Stress", "name_en": "Stress"}],
        },
        "medications": [
            {"atc_code": "N06AF04", "name": "Tranylcypromine"},
            {"atc_code": "N06AB06", "name": "Sertraline"},
        ],
        "lines": [
            line(
                "magnesium",
                "Magnesium",
                "Magnesium",
                "4E+2",
                frequency="twice_daily",
                timing="with_meals",
                form=("bisglycinate", "Bisglycinaat", "Bisglycinate"),
                instructions="Met een glas water innemen.",
            ),
            line("tryptophan", "Tryptofaan", "Tryptophan", "500", timing="bedtime"),
            line("zinc", "Zink", "Zinc", "15", duration_weeks=None),
            line("saffron", "Saffraan", "Saffron", "30", duration_weeks=6),
            line(
                "probiotics",
                "Probiotica",
                "Probiotics",
                "1",
                "capsule",
                timing="between_meals",
            ),
        ],
        "check": {
            "worst_level": "avoid",
            "results": [
                {
                    "nutrient": "magnesium",
                    "level": "separate_intake",
                    "findings": [
                        finding(
                            "separate_intake",
                            "any_medicine",
                            "Gebruik magnesium 2 uur vóór of 4 uur na inname van medicijnen.",
                            atc_codes=["N06AF04", "N06AB06"],
                        )
                    ],
                },
                {
                    "nutrient": "tryptophan",
                    "level": "avoid",
                    "findings": [
                        finding(
                            "avoid",
                            "medicine",
                            "Tryptofaan met MAO-remmers wordt afgeraden.",
                            atc_codes=["N06AF04"],
                            medicine_class=MAOI,
                        ),
                        finding(
                            "consult",
                            "any_medicine",
                            "Overleg met de behandelend arts.",
                            atc_codes=["N06AF04", "N06AB06"],
                        ),
                    ],
                },
                {"nutrient": "zinc", "level": "no_data", "findings": []},
                {"nutrient": "saffron", "level": "none_known", "findings": []},
                {"nutrient": "probiotics", "level": "none_known", "findings": []},
            ],
        },
        "acknowledgements": [
            {
                "nutrient": "tryptophan",
                "nutrient_name_nl": "Tryptofaan",
                "nutrient_name_en": "Tryptophan",
                "reason": "Psychiater akkoord na telefonisch overleg; afbouw MAO-remmer gestart.",
                "by": "Anna de Vries",
            }
        ],
        "nutrients": {
            "magnesium": {"name_nl": "Magnesium", "name_en": "Magnesium", "food_sources": []},
            "tryptophan": {"name_nl": "Tryptofaan", "name_en": "Tryptophan", "food_sources": []},
            "zinc": {"name_nl": "Zink", "name_en": "Zinc", "food_sources": []},
            "saffron": {"name_nl": "Saffraan", "name_en": "Saffron", "food_sources": []},
            "probiotics": {
                "name_nl": "Probiotica",
                "name_en": "Probiotics",
                "food_sources": [
                    {"name_nl": "yoghurt", "name_en": "yoghurt"},
                    {"name_nl": "kimchi", "name_en": "kimchi"},
                    {"name_nl": "rauwmelkse kaas", "name_en": "raw-milk cheese"},
                ],
            },
        },
    }
    snapshot.update(overrides)
    return snapshot


def long_snapshot() -> dict:
    """Sixteen lines with long instructions: more than one page."""
    snapshot = make_snapshot()
    names = [
        ("magnesium", "Magnesium"),
        ("zinc", "Zink"),
        ("rhodiola", "Rhodiola"),
        ("lemon-balm", "Citroenmelisse"),
        ("ashwagandha", "Ashwagandha"),
        ("mushrooms", "Paddenstoelen"),
        ("theanine", "Theanine"),
        ("bacopa", "Bacopa"),
        ("gaba", "GABA"),
        ("saffron", "Saffraan"),
        ("valerian", "Valeriaan"),
        ("melatonin", "Melatonine"),
        ("tryptophan", "Tryptofaan"),
        ("prebiotics", "Prebiotica"),
        ("probiotics", "Probiotica"),
        ("glutamine", "Glutamine"),
    ]
    snapshot["lines"] = [
        line(
            slug,
            name,
            name,
            str(100 + i),
            frequency="three_times_daily",
            timing="with_meals",
            instructions="Innemen met een ruim glas water, niet tegelijk met koffie of thee. " * 3,
        )
        for i, (slug, name) in enumerate(names)
    ]
    snapshot["nutrients"] = {
        slug: {"name_nl": name, "name_en": name, "food_sources": []} for slug, name in names
    }
    snapshot["check"] = {
        "worst_level": "no_data",
        "results": [{"nutrient": slug, "level": "no_data", "findings": []} for slug, _ in names],
    }
    snapshot["acknowledgements"] = []
    return snapshot


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with its white space (line wraps included) made single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def nl(message: str) -> str:
    with override("nl"):
        return gettext(message)


def nl_level(level: str) -> str:
    with override("nl"):
        return level_label(level)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_protocol_pdf(make_snapshot())


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return " ".join(pages_text(pdf))


def test_the_pdf_is_a4(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=0.5)


def test_every_page_is_headed_by_the_practice():
    snapshot = make_snapshot(lines=long_snapshot()["lines"])
    for page in pages_text(render_protocol_pdf(snapshot)):
        assert "Praktijk De Darmwijzer" in page
        assert "Lindelaan 12" in page
        assert "030 123 45 67" in page
        assert "info@darmwijzer.nl" in page
        assert "90012345" in page


def test_it_names_the_client_the_consult_and_the_protocol_version(text):
    assert "Sanne Bakker" in text
    assert "C-0042" in text
    assert "9 maart 1984" in text
    assert "19 november 2025" in text
    # Issued at 14:05 UTC: 15:05 in Amsterdam.
    assert "20 november 2025, 15:05" in text
    assert f"{nl('Protocol version')} 2" in text


def test_the_table_shows_each_line_with_its_dose_and_unit(text):
    assert "Magnesium Bisglycinaat 400 mg tweemaal per dag bij de maaltijd 8" in text
    assert "Met een glas water innemen." in text
    assert "Tryptofaan" in text and "500 mg" in text
    assert "Zink" in text and "15 mg" in text
    assert nl("until further notice") in text
    assert "Saffraan" in text and "30 mg" in text
    assert "Probiotica" in text and "1 capsule(s)" in text


def test_the_schedule_lists_the_slots_of_the_day(text):
    with override("nl"):
        for slot in ("morning", "mid_morning", "evening", "bedtime"):
            assert slot_label(slot) in text
        assert slot_label("midday") not in text


def test_the_magnesium_rule_says_two_hours_before_or_four_after_the_medicines(text):
    morning = nl(
        "Not together with your morning medicines: take this 2 hours before or "
        "4 hours after your medicines."
    )
    elsewhere = nl("Take this 2 hours before or 4 hours after taking medicines.")
    assert morning in text
    assert elsewhere in text
    assert text.count(morning) == 1  # magnesium at breakfast only
    assert text.count(elsewhere) == 1  # and at dinner


def test_the_warnings_name_the_level_in_words_with_the_advice_and_the_medicine(text):
    assert nl_level("avoid") in text
    assert "Tryptofaan met MAO-remmers wordt afgeraden." in text
    assert "MAO-remmers — Tranylcypromine (N06AF04)" in text
    assert nl_level("separate_intake") in text
    assert "Gebruik magnesium 2 uur vóór of 4 uur na inname van medicijnen." in text


def test_a_nutrient_without_data_is_not_presented_as_safe(text):
    assert f"Zink {nl_level('no_data')}" in text
    assert f"Saffraan {nl_level('none_known')}" in text


def test_the_acknowledged_override_shows_its_reason_and_who_decided(text):
    assert "Psychiater akkoord na telefonisch overleg; afbouw MAO-remmer gestart." in text
    assert "Anna de Vries" in text


def test_it_lists_food_sources(text):
    assert "Probiotica: yoghurt, kimchi, rauwmelkse kaas" in text


def test_it_ends_with_the_practitioner_and_a_place_to_sign(text):
    assert "Anna de Vries" in text
    assert "12345678" in text
    assert nl("Signature") in text


def test_pregnancy_and_breastfeeding_are_noted_when_relevant(text):
    assert nl("Pregnant at the time of the consult") not in text
    snapshot = make_snapshot()
    snapshot["consult"] = {**snapshot["consult"], "pregnant": True, "breastfeeding": True}
    snapshot["check"]["results"][3] = {
        "nutrient": "saffron",
        "level": "avoid",
        "findings": [
            finding("avoid", "pregnancy", "Gebruik tijdens de zwangerschap wordt afgeraden."),
        ],
    }
    pregnant = " ".join(pages_text(render_protocol_pdf(snapshot)))
    assert nl("Pregnant at the time of the consult") in pregnant
    assert nl("Breastfeeding at the time of the consult") in pregnant
    assert "Gebruik tijdens de zwangerschap wordt afgeraden." in pregnant


def test_pages_are_numbered_page_x_of_y(pdf):
    pages = pages_text(pdf)
    with override("nl"):
        page_of = gettext("Page %(page)s of %(pages)s")
    assert pages[0].endswith(page_of % {"page": 1, "pages": len(pages)})
    assert pages[-1].endswith(page_of % {"page": len(pages), "pages": len(pages)})


def test_a_long_protocol_spans_pages_and_numbers_each():
    pages = pages_text(render_protocol_pdf(long_snapshot()))
    assert len(pages) >= 2
    with override("nl"):
        page_of = gettext("Page %(page)s of %(pages)s")
    for number, page in enumerate(pages, start=1):
        assert page.endswith(page_of % {"page": number, "pages": len(pages)})
        assert "Sanne Bakker" in page
    text = " ".join(pages)
    for dose in range(100, 116):
        assert f"{dose} mg" in text


def test_two_renders_of_the_same_snapshot_are_byte_identical(pdf):
    assert render_protocol_pdf(copy.deepcopy(make_snapshot())) == pdf


def test_the_pdf_carries_the_issue_date_as_its_creation_date(pdf):
    metadata = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert metadata["/CreationDate"].startswith("D:20251120140509")
    assert metadata["/ModDate"].startswith("D:20251120140509")


def test_a_different_snapshot_gives_a_different_pdf(pdf):
    snapshot = make_snapshot(version=3)
    assert render_protocol_pdf(snapshot) != pdf


def test_the_html_has_no_script_and_no_inline_style():
    html = render_protocol_html(make_snapshot(), for_pdf=False)
    assert "<script" not in html.lower()
    assert "style=" not in html.lower()
    assert "<style" not in html.lower()
    assert 'href="/static/css/protocol_schema1.css"' in html


def test_the_html_writes_each_level_in_words():
    with override("nl"):
        html = render_protocol_html(make_snapshot(), for_pdf=False)
    for level in ("avoid", "separate_intake", "no_data", "none_known"):
        assert nl_level(level) in html


def test_the_html_under_english_uses_the_english_texts():
    with override("en"):
        html = render_protocol_html(make_snapshot(), for_pdf=False)
    assert "Tryptophan" in html
    assert "Bisglycinate" in html
    assert "twice a day" in html
    assert "(en) Tryptofaan met MAO-remmers wordt afgeraden." in html
    assert "raw-milk cheese" in html
    assert "No data on interactions recorded" in html
    assert 'lang="en"' in html


def test_the_pdf_is_the_same_whatever_language_and_time_zone_are_active(pdf):
    with override("en"), timezone.override(ZoneInfo("America/New_York")):
        assert render_protocol_pdf(make_snapshot()) == pdf


def test_a_reprint_in_another_process_is_byte_identical(pdf):
    script = (
        "import hashlib, sys, django; django.setup();"
        "from practice.pdf import render_protocol_pdf;"
        "from tests.practice.test_pdf import make_snapshot;"
        "sys.stdout.write(hashlib.sha256(render_protocol_pdf(make_snapshot())).hexdigest())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gutbrain.settings_test",
        "PYTHONHASHSEED": "12345",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == hashlib.sha256(pdf).hexdigest()


def test_snapshot_text_is_escaped_never_markup():
    snapshot = make_snapshot()
    snapshot["lines"][0]["instructions"] = '<img src="http://example.invalid/x.png"> <b>vet</b>'
    html = render_protocol_html(snapshot, for_pdf=True)
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img" in html
    # Compared without white space: the cell wraps the long address.
    text = "".join("".join(pages_text(render_protocol_pdf(snapshot))).split())
    assert '<imgsrc="http://example.invalid/x.png"><b>vet</b>' in text
