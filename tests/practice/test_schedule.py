"""The intake schedule by time of day, a pure function of the snapshot's lines."""

import pytest
from django.utils.translation import gettext, override

from practice.schedule import Slot, intake_schedule, slot_label
from tests.practice.test_pdf import line

MORNING_NOTE = (
    "Not together with your morning medicines: take this 2 hours before or "
    "4 hours after your medicines."
)
OTHER_NOTE = "Take this 2 hours before or 4 hours after taking medicines."


def slots(schedule: list[Slot]) -> list[str]:
    return [slot.key for slot in schedule]


def magnesium(frequency: str = "once_daily", timing: str = "morning") -> dict:
    return line("magnesium", "Magnesium", "Magnesium", "200", frequency=frequency, timing=timing)


@pytest.mark.parametrize(
    ("timing", "frequency", "expected"),
    [
        ("morning", "once_daily", ["morning"]),
        ("morning", "twice_daily", ["morning", "evening"]),
        ("morning", "three_times_daily", ["morning", "midday", "evening"]),
        ("midday", "once_daily", ["midday"]),
        ("midday", "twice_daily", ["midday", "bedtime"]),
        ("midday", "three_times_daily", ["morning", "midday", "evening"]),
        ("evening", "once_daily", ["evening"]),
        ("evening", "twice_daily", ["morning", "evening"]),
        ("evening", "three_times_daily", ["morning", "midday", "evening"]),
        ("bedtime", "once_daily", ["bedtime"]),
        ("bedtime", "twice_daily", ["morning", "bedtime"]),
        ("bedtime", "three_times_daily", ["morning", "midday", "bedtime"]),
        ("with_meals", "once_daily", ["morning"]),
        ("with_meals", "twice_daily", ["morning", "evening"]),
        ("with_meals", "three_times_daily", ["morning", "midday", "evening"]),
        ("between_meals", "once_daily", ["mid_morning"]),
        ("between_meals", "twice_daily", ["mid_morning", "mid_afternoon"]),
        ("between_meals", "three_times_daily", ["mid_morning", "mid_afternoon", "bedtime"]),
    ],
)
def test_each_timing_and_frequency_spreads_over_the_day(timing, frequency, expected):
    schedule = intake_schedule([magnesium(frequency, timing)], False, set())
    assert slots(schedule) == expected
    assert all(len(slot.intakes) == 1 for slot in schedule)


@pytest.mark.parametrize("timing", ["morning", "bedtime", "with_meals", "between_meals"])
def test_as_needed_is_listed_separately_whatever_its_timing(timing):
    lines = [
        line("valerian", "Valeriaan", "Valerian", "300", frequency="as_needed", timing=timing),
        line("zinc", "Zink", "Zinc", "15", timing="bedtime"),
    ]
    schedule = intake_schedule(lines, False, set())
    assert slots(schedule) == ["bedtime", "as_needed"]
    (intake,) = schedule[-1].intakes
    assert intake.name == "Valeriaan"
    assert intake.meal_note == lines[0]["timing_label"]["nl"]


def test_slots_follow_the_day_not_the_order_of_the_lines():
    lines = [
        line("melatonin", "Melatonine", "Melatonin", "1", timing="bedtime"),
        line("probiotics", "Probiotica", "Probiotics", "1", "capsule", timing="between_meals"),
        line("zinc", "Zink", "Zinc", "15", timing="morning"),
        line("theanine", "Theanine", "L-theanine", "200", timing="midday"),
    ]
    schedule = intake_schedule(lines, False, set())
    assert slots(schedule) == ["morning", "mid_morning", "midday", "bedtime"]


def test_lines_in_the_same_slot_keep_their_order():
    lines = [
        line("zinc", "Zink", "Zinc", "15"),
        line("saffron", "Saffraan", "Saffron", "30"),
    ]
    (morning,) = intake_schedule(lines, False, set())
    assert [intake.name for intake in morning.intakes] == ["Zink", "Saffraan"]


def test_meals_are_named_for_lines_with_and_between_meals():
    lines = [
        line(
            "glutamine",
            "Glutamine",
            "Glutamine",
            "5",
            "mg",
            frequency="three_times_daily",
            timing="with_meals",
        ),
        line("gaba", "GABA", "GABA", "250", frequency="twice_daily", timing="between_meals"),
        line("zinc", "Zink", "Zinc", "15"),
    ]
    with override("nl"):
        schedule = intake_schedule(lines, False, set())
        notes = {
            (slot.key, intake.nutrient): intake.meal_note
            for slot in schedule
            for intake in slot.intakes
        }
        assert notes == {
            ("morning", "glutamine"): gettext("with breakfast"),
            ("morning", "zinc"): "",
            ("mid_morning", "gaba"): gettext("between meals"),
            ("midday", "glutamine"): gettext("with lunch"),
            ("mid_afternoon", "gaba"): gettext("between meals"),
            ("evening", "glutamine"): gettext("with dinner"),
        }


def test_the_magnesium_note_says_two_hours_before_or_four_after_in_every_slot():
    lines = [magnesium("three_times_daily", "with_meals"), line("zinc", "Zink", "Zinc", "15")]
    with override("nl"):
        schedule = intake_schedule(lines, True, {"magnesium"})
        notes = {
            (slot.key, intake.nutrient): intake.separate_intake_note
            for slot in schedule
            for intake in slot.intakes
        }
        assert notes == {
            ("morning", "magnesium"): gettext(MORNING_NOTE),
            ("morning", "zinc"): "",
            ("midday", "magnesium"): gettext(OTHER_NOTE),
            ("evening", "magnesium"): gettext(OTHER_NOTE),
        }


def test_in_the_morning_the_note_says_plainly_not_together_with_the_medicines():
    with override("en"):
        (morning,) = intake_schedule([magnesium()], True, {"magnesium"})
    note = morning.intakes[0].separate_intake_note
    assert note.startswith("Not together with your morning medicines")
    assert "2 hours before or 4 hours after your medicines" in note


def test_there_is_no_magnesium_note_when_the_check_did_not_ask_for_separate_intake():
    (morning,) = intake_schedule([magnesium()], True, set())
    assert morning.intakes[0].separate_intake_note == ""


def test_there_is_no_magnesium_note_without_medicines_to_keep_apart_from():
    (morning,) = intake_schedule([magnesium()], False, {"magnesium"})
    assert morning.intakes[0].separate_intake_note == ""


def test_as_needed_magnesium_keeps_the_general_note():
    with override("en"):
        schedule = intake_schedule([magnesium("as_needed")], True, {"magnesium"})
    (as_needed,) = schedule
    assert as_needed.intakes[0].separate_intake_note == OTHER_NOTE


def test_doses_are_written_out_in_the_language():
    lines = [
        line("magnesium", "Magnesium", "Magnesium", "4E+2"),
        line("melatonin", "Melatonine", "Melatonin", "0.5", "mg"),
        line("probiotics", "Probiotica", "Probiotics", "1E+10", "CFU"),
    ]
    with override("nl"):
        (nl_morning,) = intake_schedule(lines, False, set())
    with override("en"):
        (en_morning,) = intake_schedule(lines, False, set())
    assert [i.dose for i in nl_morning.intakes] == ["400 mg", "0,5 mg", "10.000.000.000 KVE"]
    assert [i.dose for i in en_morning.intakes] == ["400 mg", "0.5 mg", "10,000,000,000 CFU"]


def test_names_and_forms_follow_the_language():
    lines = [
        line(
            "magnesium",
            "Magnesium",
            "Magnesium",
            "200",
            form=("bisglycinate", "Bisglycinaat", "Bisglycinate"),
        ),
        line("lemon-balm", "Citroenmelisse", "Lemon balm", "300"),
    ]
    with override("nl"):
        (nl_morning,) = intake_schedule(lines, False, set())
    with override("en"):
        (en_morning,) = intake_schedule(lines, False, set())
    assert [(i.name, i.form) for i in nl_morning.intakes] == [
        ("Magnesium", "Bisglycinaat"),
        ("Citroenmelisse", ""),
    ]
    assert [(i.name, i.form) for i in en_morning.intakes] == [
        ("Magnesium", "Bisglycinate"),
        ("Lemon balm", ""),
    ]


def test_slot_labels_are_translatable_and_carry_the_slot():
    with override("en"):
        schedule = intake_schedule([magnesium("twice_daily", "bedtime")], False, set())
        assert [slot.label for slot in schedule] == [
            slot_label("morning"),
            slot_label("bedtime"),
        ]
        assert [slot.label for slot in schedule] == ["Breakfast / morning", "Before bed"]


def test_an_empty_protocol_has_an_empty_schedule():
    assert intake_schedule([], True, {"magnesium"}) == []
