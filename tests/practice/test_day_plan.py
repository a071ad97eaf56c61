"""The day plan: the protocol's lines at clock times, magnesium kept apart from the
medicines. A pure function of the snapshot's plain dicts and the active language."""

import pytest
from django.utils.translation import override

from practice.schedule import (
    DayPlan,
    clock_words,
    day_plan,
    dose_words,
    duration_words,
    frequency_words,
    in_sentence,
    intake_times_words,
)

SEPARATE = {"magnesium"}


@pytest.fixture(autouse=True)
def _dutch():
    with override("nl"):
        yield


def line(
    nutrient: str = "magnesium",
    name: str = "Magnesium",
    *,
    amount: str = "200",
    unit: str = "mg",
    frequency: str = "once_daily",
    timing: str = "morning",
    weeks: int | None = 8,
    name_en: str = "",
) -> dict:
    """A line as `practice.protocols.build_snapshot` writes it."""
    return {
        "nutrient": nutrient,
        "nutrient_name_nl": name,
        "nutrient_name_en": name_en or name,
        "form": None,
        "form_name_nl": "",
        "form_name_en": "",
        "dose_amount": amount,
        "dose_unit": unit,
        "dose_unit_label": {"nl": unit, "en": unit},
        "frequency": frequency,
        "timing": timing,
        "duration_weeks": weeks,
        "instructions": "",
    }


def medicine(name: str, *times: str) -> dict:
    return {"name": name, "atc_code": "H03AA01", "intake_times": list(times)}


def times_of(plan: DayPlan, nutrient: str = "magnesium") -> list[str]:
    return [row.time for row in plan.rows for i in row.intakes if i.nutrient == nutrient]


def intakes_of(plan: DayPlan, nutrient: str = "magnesium") -> list:
    return [i for row in plan.rows for i in row.intakes if i.nutrient == nutrient]


# Default clock times ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timing", "frequency", "expected"),
    [
        ("morning", "once_daily", ["08:00"]),
        ("midday", "once_daily", ["12:30"]),
        ("evening", "once_daily", ["18:00"]),
        ("bedtime", "once_daily", ["22:00"]),
        ("morning", "twice_daily", ["08:00", "18:00"]),
        ("bedtime", "three_times_daily", ["08:00", "12:30", "22:00"]),
        ("with_meals", "three_times_daily", ["08:00", "12:30", "18:00"]),
        ("between_meals", "twice_daily", ["10:30", "15:30"]),
        ("between_meals", "three_times_daily", ["10:30", "15:30", "22:00"]),
    ],
)
def test_each_moment_has_its_default_clock_time(timing, frequency, expected):
    plan = day_plan([line("zinc", "Zink", timing=timing, frequency=frequency)], [], set())
    assert times_of(plan, "zinc") == expected


def test_the_rows_follow_the_clock_and_say_the_time_in_dutch():
    lines = [
        line("melatonin", "Melatonine", timing="bedtime"),
        line("probiotics", "Probiotica", timing="between_meals"),
        line("zinc", "Zink", timing="morning"),
        line("saffron", "Saffraan", timing="morning"),
    ]
    plan = day_plan(lines, [], set())

    assert [(row.time, row.time_label, row.moment_label) for row in plan.rows] == [
        ("08:00", "8.00 uur", "Ontbijt / ochtend"),
        ("10:30", "10.30 uur", "Halverwege de ochtend"),
        ("22:00", "22.00 uur", "Voor het slapengaan"),
    ]
    assert [i.name for i in plan.rows[0].intakes] == ["Zink", "Saffraan"]


def test_an_intake_carries_its_dose_and_meal_in_words():
    plan = day_plan(
        [line("zinc", "Zink", amount="1", unit="capsule", timing="with_meals")], [], set()
    )

    [intake] = plan.rows[0].intakes
    assert (intake.dose, intake.meal_note, intake.note, intake.moved_from) == (
        "1 capsule",
        "bij het ontbijt",
        "",
        "",
    )


def test_as_needed_is_apart_with_its_timing_in_words():
    plan = day_plan(
        [line("valerian", "Valeriaan", frequency="as_needed", timing="bedtime")], [], set()
    )

    assert plan.rows == ()
    [intake] = plan.as_needed
    assert (intake.name, intake.meal_note, intake.note) == ("Valeriaan", "voor het slapengaan", "")


# Magnesium and the medicines ----------------------------------------------------------


def test_magnesium_moves_away_from_levothyroxine_at_breakfast():
    plan = day_plan([line()], [medicine("levothyroxine", "morning")], SEPARATE)

    [intake] = intakes_of(plan)
    assert times_of(plan) == ["12:30"]
    assert intake.moved_from == "08:00"
    assert intake.note == "om 12.30 uur, ruim 4 uur na uw levothyroxine van 8.00 uur"
    assert plan.warnings == ()
    assert plan.general_rule == ""


def test_exactly_4_hours_after_is_4_hours_not_a_good_4_hours():
    plan = day_plan([line(timing="bedtime")], [medicine("levothyroxine", "18:00")], SEPARATE)

    [intake] = intakes_of(plan)
    assert times_of(plan) == ["22:00"]
    assert intake.moved_from == ""
    assert intake.note == "om 22.00 uur, 4 uur na uw levothyroxine van 18.00 uur"
    assert "ruim" not in intake.note


def test_too_soon_after_a_medicine_it_moves_to_2_hours_before():
    plan = day_plan([line(timing="bedtime")], [medicine("metformine", "20:00")], SEPARATE)

    [intake] = intakes_of(plan)
    assert times_of(plan) == ["18:00"]
    assert intake.moved_from == "22:00"
    assert intake.note == "om 18.00 uur, 2 uur vóór uw metformine van 20.00 uur"


def test_the_day_goes_round_midnight():
    # 22:00 is 2.5 hours before a dose at 00:30, and 22.5 hours after it: allowed.
    stays = day_plan([line(timing="bedtime")], [medicine("X", "00:30")], SEPARATE)
    # 22:00 is only 1.5 hours before a dose at 23:30: it moves to dinner time.
    moves = day_plan([line(timing="bedtime")], [medicine("Y", "23:30")], SEPARATE)

    assert times_of(stays) == ["22:00"]
    assert intakes_of(stays)[0].note == "om 22.00 uur, ruim 2 uur vóór uw X van 0.30 uur"
    assert times_of(moves) == ["18:00"]
    assert intakes_of(moves)[0].note == "om 18.00 uur, ruim 5 uur vóór uw Y van 23.30 uur"


def test_far_from_every_medicine_it_needs_no_note():
    plan = day_plan([line(timing="bedtime")], [medicine("levothyroxine", "morning")], SEPARATE)

    [intake] = intakes_of(plan)
    assert (times_of(plan), intake.note, intake.moved_from) == (["22:00"], "", "")


def test_the_note_names_the_nearest_dose_of_every_medicine():
    medicines = [medicine("levothyroxine", "07:00"), medicine("metformine", "08:00", "18:00")]

    plan = day_plan([line()], medicines, SEPARATE)

    # 10:30 is too soon after 08:00; 12:30 is 4.5 hours after it and 5.5 before 18:00.
    assert times_of(plan) == ["12:30"]
    assert intakes_of(plan)[0].note == "om 12.30 uur, ruim 4 uur na uw metformine van 8.00 uur"


def test_only_a_separate_intake_nutrient_moves():
    plan = day_plan([line("zinc", "Zink")], [medicine("levothyroxine", "morning")], SEPARATE)

    assert times_of(plan, "zinc") == ["08:00"]
    assert intakes_of(plan, "zinc")[0].note == ""


def test_without_medicines_nothing_moves_and_nothing_is_said():
    plan = day_plan([line(), line(frequency="as_needed")], [], SEPARATE)

    assert times_of(plan) == ["08:00"]
    assert intakes_of(plan)[0].note == ""
    assert plan.as_needed[0].note == ""
    assert (plan.general_rule, plan.warnings) == ("", ())


def test_as_needed_magnesium_gets_the_rule_in_its_note():
    plan = day_plan([line(frequency="as_needed")], [medicine("levothyroxine", "morning")], SEPARATE)

    assert plan.as_needed[0].note == "Neem het 2 uur vóór of 4 uur ná uw medicijnen in."


# The therapist's choices stay -----------------------------------------------------------


def test_with_meals_stays_with_a_meal():
    # A dose at 06:00 rules out 08:00; mid-morning (10:30) would be nearest, but is no meal.
    medicines = [medicine("levothyroxine", "06:00")]

    with_meals = day_plan([line(timing="with_meals")], medicines, SEPARATE)
    plain = day_plan([line(timing="morning")], medicines, SEPARATE)

    assert times_of(with_meals) == ["12:30"]
    assert intakes_of(with_meals)[0].meal_note == "bij de lunch"
    assert times_of(plain) == ["10:30"]


def test_between_meals_stays_between_meals():
    plan = day_plan(
        [line(timing="between_meals")], [medicine("levothyroxine", "morning")], SEPARATE
    )

    # Lunch (12:30) is nearer than 15:30, but it is a meal.
    assert times_of(plan) == ["15:30"]
    assert intakes_of(plan)[0].meal_note == "tussen de maaltijden"


def test_with_meals_twice_a_day_moves_breakfast_to_lunch_and_keeps_dinner():
    plan = day_plan(
        [line(timing="with_meals", frequency="twice_daily")],
        [medicine("levothyroxine", "morning")],
        SEPARATE,
    )

    assert times_of(plan) == ["12:30", "18:00"]
    assert [i.meal_note for i in intakes_of(plan)] == ["bij de lunch", "bij het avondeten"]
    assert [i.moved_from for i in intakes_of(plan)] == ["08:00", ""]


def test_before_bed_stays_the_last_intake_of_the_line():
    plan = day_plan(
        [line(timing="bedtime", frequency="twice_daily")], [medicine("X", "21:00")], SEPARATE
    )

    # 22:00 is an hour after the dose: the bedtime intake moves to 18:00, still after 08:00.
    assert times_of(plan) == ["08:00", "18:00"]
    assert intakes_of(plan)[-1].moved_from == "22:00"


# When no moment fits ------------------------------------------------------------------

NO_FIT_NOTE = (
    "Dit moment ligt te dicht bij uw levothyroxine van 8.00 uur. Neem dit 2 uur vóór of "
    "4 uur ná uw medicijnen in, en vraag uw behandelaar wanneer dat het beste kan."
)


def test_when_no_moment_fits_it_stays_says_so_plainly_and_warns_the_staff():
    medicines = [medicine("levothyroxine", "08:00", "12:30", "18:00", "22:00")]

    plan = day_plan([line()], medicines, SEPARATE)

    [intake] = intakes_of(plan)
    assert times_of(plan) == ["08:00"]
    assert intake.moved_from == ""
    assert intake.note == NO_FIT_NOTE
    assert plan.warnings == (
        "Magnesium om 8.00 uur: geen moment van de dag ligt minstens 2 uur vóór of 4 uur na "
        "elk medicijn (levothyroxine om 8.00 uur, 12.30 uur, 18.00 uur en 22.00 uur). Het "
        "blijft op het gekozen moment; bespreek met de cliënt wanneer die het inneemt.",
    )


def test_an_intake_that_cannot_fit_stays_while_the_others_keep_the_rule():
    plan = day_plan(
        [line(timing="with_meals", frequency="three_times_daily")],
        [medicine("levothyroxine", "midday")],
        SEPARATE,
    )

    # Breakfast is 4.5 hours before lunch's dose and dinner 5.5 hours after it (close
    # enough to say so); lunch itself cannot move past either without leaving the meals
    # or their order.
    assert times_of(plan) == ["08:00", "12:30", "18:00"]
    notes = [i.note for i in intakes_of(plan)]
    assert notes[1].startswith("Dit moment ligt te dicht bij uw levothyroxine van 12.30 uur.")
    assert notes[0] == ""
    assert notes[2] == "om 18.00 uur, ruim 5 uur na uw levothyroxine van 12.30 uur"
    [warning] = plan.warnings
    assert warning.startswith("Magnesium om 12.30 uur: geen moment van de dag")


# Medicines whose times are not known ----------------------------------------------------


def test_a_medicine_without_times_gets_the_general_rule():
    plan = day_plan([line()], [{"name": "oxazepam", "atc_code": "N05BA04"}], SEPARATE)

    assert plan.general_rule == (
        "Neem magnesium 2 uur vóór of 4 uur ná uw medicijnen in. Van oxazepam weten we "
        "niet hoe laat u het inneemt."
    )
    assert times_of(plan) == ["08:00"]
    assert intakes_of(plan)[0].note == ""


def test_the_general_rule_names_every_medicine_and_nutrient_it_is_about():
    medicines = [
        medicine("oxazepam"),
        medicine("sertraline", "not a time"),
        medicine("levothyroxine", "morning"),
    ]
    lines = [line(), line("iron", "IJzer", timing="evening")]

    plan = day_plan(lines, medicines, {"magnesium", "iron"})

    assert plan.general_rule == (
        "Neem magnesium en ijzer 2 uur vóór of 4 uur ná uw medicijnen in. Van oxazepam en "
        "sertraline weten we niet hoe laat u ze inneemt."
    )
    # The known times still count.
    assert times_of(plan) == ["12:30"]


def test_no_general_rule_without_a_separate_intake_nutrient():
    plan = day_plan([line("zinc", "Zink")], [medicine("oxazepam")], SEPARATE)
    assert plan.general_rule == ""


# English ------------------------------------------------------------------------------


def test_in_english_the_times_use_the_24_hour_clock():
    with override("en"):
        plan = day_plan(
            [line(name_en="Magnesium")],
            [medicine("levothyroxine", "morning"), medicine("oxazepam")],
            SEPARATE,
        )

    assert plan.rows[0].time_label == "12:30"
    assert plan.rows[0].moment_label == "Lunch / midday"
    assert intakes_of(plan)[0].note == (
        "at 12:30, more than 4 hours after your levothyroxine at 8:00"
    )
    assert plan.general_rule == (
        "Take magnesium 2 hours before or 4 hours after your medicines. We do not know what "
        "time you take oxazepam."
    )


# Words for the handout's table ----------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit", "dutch", "english"),
    [
        ("1", "capsule", "1 capsule", "1 capsule"),
        ("2", "capsule", "2 capsules", "2 capsules"),
        ("1", "tablet", "1 tablet", "1 tablet"),
        ("2", "tablet", "2 tabletten", "2 tablets"),
        ("0.5", "tablet", "0,5 tablet", "0.5 tablet"),
        ("1.5", "tablet", "1,5 tabletten", "1.5 tablets"),
        ("1", "drops", "1 druppel", "1 drop"),
        ("5", "drops", "5 druppels", "5 drops"),
        ("200", "µg", "200 microgram", "200 micrograms"),
        ("1", "µg", "1 microgram", "1 microgram"),
        ("2.5", "mg", "2,5 mg", "2.5 mg"),
        ("1000", "mg", "1.000 mg", "1,000 mg"),
        ("3", "g", "3 g", "3 g"),
        ("5", "ml", "5 ml", "5 ml"),
        ("10", "CFU", "10 kve", "10 CFU"),
    ],
)
def test_doses_in_words(amount, unit, dutch, english):
    dose = line(amount=amount, unit=unit)
    assert dose_words(dose) == dutch
    with override("en"):
        assert dose_words(dose) == english


@pytest.mark.parametrize(
    ("frequency", "dutch", "english"),
    [
        ("once_daily", "1 keer per dag", "once a day"),
        ("twice_daily", "2 keer per dag", "twice a day"),
        ("three_times_daily", "3 keer per dag", "3 times a day"),
        ("as_needed", "als het nodig is", "when needed"),
    ],
)
def test_frequencies_in_words(frequency, dutch, english):
    assert frequency_words(line(frequency=frequency)) == dutch
    with override("en"):
        assert frequency_words(line(frequency=frequency)) == english


@pytest.mark.parametrize(
    ("weeks", "dutch", "english"),
    [
        (8, "8 weken", "8 weeks"),
        (1, "1 week", "1 week"),
        (None, "tot het volgende consult", "until your next consultation"),
    ],
)
def test_durations_in_words(weeks, dutch, english):
    assert duration_words(line(weeks=weeks)) == dutch
    with override("en"):
        assert duration_words(line(weeks=weeks)) == english


def test_clock_times_in_words():
    assert [clock_words(t) for t in ("08:00", "21:00", "00:30", "16:51")] == [
        "8.00 uur",
        "21.00 uur",
        "0.30 uur",
        "16.51 uur",
    ]
    with override("en"):
        assert clock_words("21:00") == "21:00"


def test_a_medicines_times_in_words_follow_the_day():
    assert intake_times_words(["21:00", "morning"]) == "'s ochtends, 21.00 uur"
    assert intake_times_words(["bedtime", "evening", "midday"]) == (
        "'s middags, 's avonds, voor het slapengaan"
    )
    assert intake_times_words([]) == ""
    with override("en"):
        assert intake_times_words(["21:00", "morning"]) == "in the morning, 21:00"


@pytest.mark.parametrize(
    ("name", "in_running_text"),
    [
        ("Magnesium", "magnesium"),
        ("Vitamine D", "vitamine D"),
        ("IJzer", "ijzer"),
        ("L-theanine", "L-theanine"),
        ("GABA", "GABA"),
        ("5-HTP", "5-HTP"),
    ],
)
def test_names_in_running_text_lose_only_an_ordinary_capital(name, in_running_text):
    assert in_sentence(name) == in_running_text
