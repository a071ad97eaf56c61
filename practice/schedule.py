"""The intake schedule of a protocol: its lines arranged by time of day.

Pure: it reads the plain line dictionaries of a protocol snapshot (see
`practice.protocols.build_snapshot`) and the active language, never the database.
"""

import functools
import itertools
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext, npgettext, pgettext

from gutbrain.text import lower_first, tr

MORNING = "morning"
MID_MORNING = "mid_morning"
MIDDAY = "midday"
MID_AFTERNOON = "mid_afternoon"
EVENING = "evening"
BEDTIME = "bedtime"
AS_NEEDED = "as_needed"

# The day's slots, in the order a client lives them.
SLOT_ORDER: tuple[str, ...] = (MORNING, MID_MORNING, MIDDAY, MID_AFTERNOON, EVENING, BEDTIME)

# Medicines are usually taken with breakfast: the slot where the separation rule bites.
MEDICINE_SLOT = MORNING

ONCE = "once_daily"
TWICE = "twice_daily"
THREE_TIMES = "three_times_daily"

# (timing, frequency) -> the slots of the day. See `intake_schedule` for the rule.
SPREAD: dict[tuple[str, str], tuple[str, ...]] = {
    ("morning", ONCE): (MORNING,),
    ("morning", TWICE): (MORNING, EVENING),
    ("morning", THREE_TIMES): (MORNING, MIDDAY, EVENING),
    ("midday", ONCE): (MIDDAY,),
    ("midday", TWICE): (MIDDAY, BEDTIME),
    ("midday", THREE_TIMES): (MORNING, MIDDAY, EVENING),
    ("evening", ONCE): (EVENING,),
    ("evening", TWICE): (MORNING, EVENING),
    ("evening", THREE_TIMES): (MORNING, MIDDAY, EVENING),
    ("bedtime", ONCE): (BEDTIME,),
    ("bedtime", TWICE): (MORNING, BEDTIME),
    ("bedtime", THREE_TIMES): (MORNING, MIDDAY, BEDTIME),
    ("with_meals", ONCE): (MORNING,),
    ("with_meals", TWICE): (MORNING, EVENING),
    ("with_meals", THREE_TIMES): (MORNING, MIDDAY, EVENING),
    ("between_meals", ONCE): (MID_MORNING,),
    ("between_meals", TWICE): (MID_MORNING, MID_AFTERNOON),
    ("between_meals", THREE_TIMES): (MID_MORNING, MID_AFTERNOON, BEDTIME),
}


def slot_label(slot: str) -> str:
    labels = {
        MORNING: pgettext("intake slot", "Breakfast / morning"),
        MID_MORNING: pgettext("intake slot", "Mid-morning"),
        MIDDAY: pgettext("intake slot", "Lunch / midday"),
        MID_AFTERNOON: pgettext("intake slot", "Mid-afternoon"),
        EVENING: pgettext("intake slot", "Dinner / evening"),
        BEDTIME: pgettext("intake slot", "Before bed"),
        AS_NEEDED: pgettext("intake slot", "As needed"),
    }
    return labels[slot]


def format_dose(amount: str, unit_labels: dict) -> str:
    """The dose as a client reads it: "2,5 mg" in Dutch, "2.5 mg" in English, and never
    "1E+2" for a hundred (the snapshot keeps normalised decimals)."""
    value = Decimal(amount)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return f"{formats.number_format(value, use_l10n=True, force_grouping=True)} {tr(unit_labels)}"


@dataclass(frozen=True)
class Intake:
    """One nutrient taken in one slot."""

    nutrient: str
    name: str
    form: str
    dose: str
    meal_note: str
    separate_intake_note: str


@dataclass(frozen=True)
class Slot:
    key: str
    label: str
    intakes: tuple[Intake, ...]


def _meal_note(timing: str, slot: str) -> str:
    if timing == "with_meals":
        return {
            MORNING: gettext("with breakfast"),
            MIDDAY: gettext("with lunch"),
            EVENING: gettext("with dinner"),
        }[slot]
    if timing == "between_meals":
        return gettext("between meals")
    return ""


def _separate_intake_note(slot: str) -> str:
    if slot == MEDICINE_SLOT:
        # Translators: said plainly on the morning row of magnesium when the client
        # takes medicines. Dutch: "Niet samen met uw medicijnen van de ochtend: neem dit
        # 2 uur vóór of 4 uur na uw medicijnen in."
        return gettext(
            "Not together with your morning medicines: take this 2 hours before or "
            "4 hours after your medicines."
        )
    # Translators: Dutch: "Neem dit 2 uur vóór of 4 uur na inname van medicijnen in."
    return gettext("Take this 2 hours before or 4 hours after taking medicines.")


def intake_schedule(
    lines: list[dict], has_medicines: bool, separate_intake: set[str]
) -> list[Slot]:
    """The protocol's lines by time of day, in the order of the day; empty slots left out.

    Slots: breakfast/morning, mid-morning, lunch/midday, mid-afternoon, dinner/evening,
    before bed, and last, separately, "as needed" (lines with frequency `as_needed`,
    whatever their timing).

    How a line's timing and frequency spread over the day (the timing is always one of
    the intakes; further intakes go roughly half a day apart, or over the waking day):

    ==============  ===============  ==========================  ================================
    timing          once a day       twice a day                 three times a day
    ==============  ===============  ==========================  ================================
    morning         morning          morning, evening            morning, midday, evening
    midday          midday           midday, before bed          morning, midday, evening
    evening         evening          morning, evening            morning, midday, evening
    before bed      before bed       morning, before bed         morning, midday, before bed
    with meals      breakfast        breakfast, dinner           breakfast, lunch, dinner
    between meals   mid-morning      mid-morning, mid-afternoon  mid-morning, mid-afternoon,
                                                                 before bed
    ==============  ===============  ==========================  ================================

    The magnesium rule of the knowledge base: a nutrient in `separate_intake` (the check
    answered `separate_intake` for it) is taken 2 hours before or 4 hours after other
    medicines. Each of its intakes carries that note; in the morning slot, where medicines
    are usually taken, the note says plainly not to take it together with them. Without
    medicines (`has_medicines` false) there is nothing to keep apart from, so no note.
    """
    by_slot: dict[str, list[Intake]] = {slot: [] for slot in (*SLOT_ORDER, AS_NEEDED)}
    for line in lines:
        separate = has_medicines and line["nutrient"] in separate_intake
        if line["frequency"] == AS_NEEDED:
            slots: tuple[str, ...] = (AS_NEEDED,)
        else:
            slots = SPREAD[(line["timing"], line["frequency"])]
        for slot in slots:
            by_slot[slot].append(
                Intake(
                    nutrient=line["nutrient"],
                    name=tr(line, "nutrient_name"),
                    form=tr(line, "form_name"),
                    dose=format_dose(line["dose_amount"], line["dose_unit_label"]),
                    meal_note=(
                        tr(line["timing_label"])
                        if slot == AS_NEEDED
                        else _meal_note(line["timing"], slot)
                    ),
                    separate_intake_note=_separate_intake_note(slot) if separate else "",
                )
            )
    return [
        Slot(key=slot, label=slot_label(slot), intakes=tuple(intakes))
        for slot, intakes in by_slot.items()
        if intakes
    ]


# The day plan (issue #10) ---------------------------------------------------------------
#
# `intake_schedule` above renders the protocols of snapshot schema 1 and must not change.
# `day_plan` places the lines at clock times and keeps a `separate_intake` nutrient away
# from the medicines whose intake times are known.

# A medicine is taken at one of these moments (the line timings that name a moment of the
# day) or at a clock time "HH:MM".
MEDICINE_MOMENTS: tuple[str, ...] = (MORNING, MIDDAY, EVENING, BEDTIME)
MAX_INTAKE_TIMES = 6
# 00:00 to 23:59, two digits each: the API's pattern, and the one the model validates.
CLOCK_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"

# The clock time of each moment of the day, when nothing more precise is known. The meals
# go with their moments: breakfast 08:00, lunch 12:30, dinner 18:00; "between meals" is
# 10:30 and 15:30 (and before bed, 22:00, for a third intake).
DEFAULT_CLOCK_TIMES: dict[str, str] = {
    MORNING: "08:00",
    MID_MORNING: "10:30",
    MIDDAY: "12:30",
    MID_AFTERNOON: "15:30",
    EVENING: "18:00",
    BEDTIME: "22:00",
}

MEAL_MOMENTS: tuple[str, ...] = (MORNING, MIDDAY, EVENING)
BETWEEN_MEAL_MOMENTS: tuple[str, ...] = (MID_MORNING, MID_AFTERNOON, BEDTIME)

# The `separate_intake` rule of the knowledge base (magnesium): at least 2 hours before
# or at least 4 hours after a medicine, in minutes.
BEFORE_MEDICINE = 2 * 60
AFTER_MEDICINE = 4 * 60
# An intake that stays at its moment is explained to the client when it lies within this
# margin of a medicine's window: close enough that taking it a little earlier or later
# would break the rule.
NOTE_MARGIN = 2 * 60
DAY = 24 * 60


def clock_minutes(item: object) -> int | None:
    """Minutes after midnight of a medicine's intake time: a moment at its default clock
    time, or a clock time "HH:MM"; None for anything else."""
    if not isinstance(item, str):
        return None
    if item in MEDICINE_MOMENTS:
        item = DEFAULT_CLOCK_TIMES[item]
    elif not re.fullmatch(CLOCK_TIME_PATTERN, item):
        return None
    hours, minutes = item.split(":")
    return int(hours) * 60 + int(minutes)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def clock_words(time: str) -> str:
    """A clock time "HH:MM" as a client reads it: "21.00 uur" and "8.00 uur" in Dutch;
    "21:00" and "8:00" in English (the 24-hour clock, as in the Netherlands, so that the
    two languages never disagree and no "am"/"pm" can be misread)."""
    hours, minutes = time.split(":")
    # Translators: a clock time. Dutch: "%(hour)s.%(minute)s uur" (21.00 uur, 8.30 uur).
    return pgettext("day plan", "%(hour)s:%(minute)s") % {
        "hour": int(hours),
        "minute": minutes,
    }


def moment_words(moment: str) -> str:
    """A moment of the day in running text: "'s ochtends", "voor het slapengaan"."""
    words = {
        MORNING: gettext("in the morning"),
        MID_MORNING: pgettext("day plan", "mid-morning"),
        MIDDAY: gettext("at midday"),
        MID_AFTERNOON: pgettext("day plan", "mid-afternoon"),
        EVENING: gettext("in the evening"),
        BEDTIME: gettext("before bed"),
    }
    return words[moment]


def intake_times_words(times: list[str]) -> str:
    """A medicine's intake times in words, in the order of the day: "'s ochtends, 21.00
    uur". Empty when they are not known."""
    known = sorted((t for t in times if clock_minutes(t) is not None), key=clock_minutes)
    return ", ".join(moment_words(t) if t in MEDICINE_MOMENTS else clock_words(t) for t in known)


def join_words(items: list[str]) -> str:
    """ "a", "a en b", "a, b en c"."""
    if len(items) < 2:
        return "".join(items)
    # Translators: the last two items of a list. Dutch: "%(first)s en %(last)s".
    return pgettext("day plan", "%(first)s and %(last)s") % {
        "first": ", ".join(items[:-1]),
        "last": items[-1],
    }


def in_sentence(name: str) -> str:
    """A name from the knowledge base in running text (see `gutbrain.text.lower_first`)."""
    return lower_first(name)


def number_words(amount: str) -> str:
    """A decimal string as a client reads it: "2,5" in Dutch, "2.5" in English, "300"."""
    value = Decimal(amount)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def dose_words(line: dict) -> str:
    """One intake's dose as a client reads it: "1 capsule", "2 tabletten", "5 druppels",
    "200 microgram" (never "µg", easily misread as mg), "2,5 mg".

    Up to one the noun is singular ("0,5 tablet"), above one plural ("1,5 tabletten")."""
    amount = number_words(line["dose_amount"])
    value = Decimal(line["dose_amount"])
    count = 1 if value <= 1 else math.ceil(value)
    unit = line["dose_unit"]
    if unit == "capsule":
        text = npgettext("day plan", "%(amount)s capsule", "%(amount)s capsules", count)
    elif unit == "tablet":
        text = npgettext("day plan", "%(amount)s tablet", "%(amount)s tablets", count)
    elif unit == "drops":
        text = npgettext("day plan", "%(amount)s drop", "%(amount)s drops", count)
    elif unit == "µg":
        text = npgettext("day plan", "%(amount)s microgram", "%(amount)s micrograms", count)
    elif unit == "CFU":
        # Translators: colony-forming units of a probiotic. Dutch: "%(amount)s kve".
        text = pgettext("day plan", "%(amount)s CFU")
    else:  # mg, g, ml: the same in both languages and in the plural
        return f"{amount} {unit}"
    return text % {"amount": amount}


def frequency_words(line: dict) -> str:
    """How often, as a client reads it: "1 keer per dag", "als het nodig is"."""
    words = {
        ONCE: pgettext("day plan", "once a day"),
        TWICE: pgettext("day plan", "twice a day"),
        THREE_TIMES: pgettext("day plan", "3 times a day"),
        AS_NEEDED: pgettext("day plan", "when needed"),
    }
    return words[line["frequency"]]


def duration_words(line: dict) -> str:
    """How long: "8 weken", "1 week"; without a duration "tot het volgende consult"."""
    weeks = line.get("duration_weeks")
    if not weeks:
        return pgettext("day plan", "until your next consultation")
    return npgettext("day plan", "%(count)s week", "%(count)s weeks", weeks) % {"count": weeks}


@dataclass(frozen=True)
class PlannedIntake:
    """One nutrient taken at one moment of the day plan.

    `dose` is `dose_words`; `meal_note` says "bij het ontbijt" or "tussen de maaltijden"
    where the timing asks for it; `note` is the client's sentence where the separation rule
    moved or constrained the intake, naming the medicine; `moved_from` is the clock time
    ("HH:MM") the line's timing gave when the rule moved it, else empty."""

    nutrient: str
    name: str
    form: str
    dose: str
    meal_note: str
    note: str
    moved_from: str


@dataclass(frozen=True)
class PlanRow:
    """A moment of the day: its clock time ("08:00"), that time in words ("8.00 uur"),
    the moment's name ("Ontbijt / ochtend") and what is taken then."""

    time: str
    time_label: str
    moment_label: str
    intakes: tuple[PlannedIntake, ...]


@dataclass(frozen=True)
class DayPlan:
    """The day plan: `rows` in clock order, `as_needed` apart; `general_rule` for the
    client when some medicine's times are unknown; `warnings` for the staff page."""

    rows: tuple[PlanRow, ...]
    as_needed: tuple[PlannedIntake, ...]
    general_rule: str
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _Dose:
    medicine: str
    minutes: int

    def after(self, minutes: int) -> int:
        """How long after this dose `minutes` lies (the day repeats)."""
        return (minutes - self.minutes) % DAY

    def before(self, minutes: int) -> int:
        return (self.minutes - minutes) % DAY

    def allows(self, minutes: int) -> bool:
        return AFTER_MEDICINE <= self.after(minutes) <= DAY - BEFORE_MEDICINE

    def slack(self, minutes: int) -> int:
        """How far `minutes` lies outside this dose's window; negative inside it."""
        return min(self.after(minutes) - AFTER_MEDICINE, self.before(minutes) - BEFORE_MEDICINE)


def _minutes(moment: str) -> int:
    hours, minutes = DEFAULT_CLOCK_TIMES[moment].split(":")
    return int(hours) * 60 + int(minutes)


def _candidates(timing: str) -> tuple[str, ...]:
    """The moments a line may move to and keep the therapist's choice: "with meals" stays
    with a meal, "between meals" away from one; any other timing may take any moment."""
    if timing == "with_meals":
        return MEAL_MOMENTS
    if timing == "between_meals":
        return BETWEEN_MEAL_MOMENTS
    return SLOT_ORDER


def _place(originals: tuple[str, ...], timing: str, doses: list[_Dose]) -> tuple[str, ...]:
    """The moments of one line's intakes under the separation rule.

    Every intake goes to a moment of `_candidates` that every dose allows, or stays at its
    original moment. The intakes keep their order and stay apart, so "before bed" stays
    the line's last intake. Of the placings, the one with the fewest intakes left where no
    dose allows them wins; then the least moved in clock time; then the fewest moved; then
    the later (the brochure's first advice is "4 hours after")."""

    def allowed(moment: str) -> bool:
        return all(dose.allows(_minutes(moment)) for dose in doses)

    options = [
        [original, *(m for m in _candidates(timing) if m != original and allowed(m))]
        for original in originals
    ]
    best: tuple | None = None
    for placing in itertools.product(*options):
        times = [_minutes(moment) for moment in placing]
        if any(later <= earlier for earlier, later in itertools.pairwise(times)):
            continue
        cost = (
            sum(not allowed(moment) for moment in placing),
            sum(abs(t - _minutes(o)) for t, o in zip(times, originals, strict=True)),
            sum(p != o for p, o in zip(placing, originals, strict=True)),
            -sum(times),
        )
        if best is None or cost < best[0]:
            best = (cost, placing)
    return best[1]


def _hours_words(minutes: int) -> str:
    """ "4 uur" for exactly four hours; "ruim 4 uur" for more, below five."""
    hours = minutes // 60
    if minutes % 60 == 0:
        return npgettext("day plan", "%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    # Translators: Dutch "ruim %(count)s uur": a little more than that many hours.
    return npgettext("day plan", "more than %(count)s hour", "more than %(count)s hours", hours) % {
        "count": hours
    }


def _medicine_dose_words(dose: _Dose) -> str:
    # Translators: Dutch "uw %(medicine)s van %(time)s" (uw levothyroxine van 8.00 uur).
    return pgettext("day plan", "your %(medicine)s at %(time)s") % {
        "medicine": dose.medicine,
        "time": clock_words(_hhmm(dose.minutes)),
    }


def _placed_note(minutes: int, doses: list[_Dose]) -> str:
    """ "om 22.00 uur, 4 uur na uw levothyroxine van 18.00 uur": the dose nearest to the
    intake's window, and how far the intake lies from it."""
    nearest = min(doses, key=lambda dose: (dose.slack(minutes), dose.minutes, dose.medicine))
    after, before = nearest.after(minutes), nearest.before(minutes)
    params = {"time": clock_words(_hhmm(minutes)), "dose": _medicine_dose_words(nearest)}
    if after - AFTER_MEDICINE <= before - BEFORE_MEDICINE:
        # Translators: Dutch "om %(time)s, %(distance)s na %(dose)s" (om 22.00 uur, 4 uur
        # na uw levothyroxine van 18.00 uur).
        text = pgettext("day plan", "at %(time)s, %(distance)s after %(dose)s")
        return text % {**params, "distance": _hours_words(after)}
    # Translators: Dutch "om %(time)s, %(distance)s vóór %(dose)s".
    text = pgettext("day plan", "at %(time)s, %(distance)s before %(dose)s")
    return text % {**params, "distance": _hours_words(before)}


def _no_fit_note(minutes: int, doses: list[_Dose]) -> str:
    too_close = sorted(
        (dose for dose in doses if not dose.allows(minutes)),
        key=lambda dose: (dose.minutes, dose.medicine),
    )
    # Translators: Dutch "Dit moment ligt te dicht bij %(doses)s. Neem dit 2 uur vóór of
    # 4 uur ná uw medicijnen in, en vraag uw behandelaar wanneer dat het beste kan."
    text = pgettext(
        "day plan",
        "This moment is too close to %(doses)s. Take this 2 hours before or 4 hours after "
        "your medicines, and ask your practitioner when that is best.",
    )
    return text % {"doses": join_words([_medicine_dose_words(dose) for dose in too_close])}


def _medicines_at(doses: list[_Dose]) -> str:
    """ "levothyroxine om 8.00 uur; metformine om 8.00 uur en 18.00 uur", for the staff."""
    times: dict[str, list[int]] = {}
    for dose in doses:
        times.setdefault(dose.medicine, []).append(dose.minutes)
    return "; ".join(
        pgettext("day plan", "%(medicine)s at %(times)s")
        % {
            "medicine": medicine,
            "times": join_words([clock_words(_hhmm(m)) for m in sorted(minutes)]),
        }
        for medicine, minutes in times.items()
    )


def _no_fit_warning(name: str, stuck: list[int], doses: list[_Dose]) -> str:
    # Translators: for the staff. Dutch "%(nutrient)s om %(times)s: geen moment van de dag
    # ligt minstens 2 uur vóór of 4 uur na elk medicijn (%(medicines)s). Het blijft op
    # het gekozen moment; bespreek met de cliënt wanneer die het inneemt."
    text = pgettext(
        "day plan",
        "%(nutrient)s at %(times)s: no moment of the day is at least 2 hours before or "
        "4 hours after every medicine (%(medicines)s). It stays at the chosen moment; "
        "discuss with the client when to take it.",
    )
    return text % {
        "nutrient": name,
        "times": join_words([clock_words(_hhmm(m)) for m in stuck]),
        "medicines": _medicines_at(doses),
    }


def _general_rule(nutrients: list[str], unknown: list[str]) -> str:
    # Translators: Dutch "Neem %(nutrients)s 2 uur vóór of 4 uur ná uw medicijnen in."
    rule = pgettext(
        "day plan", "Take %(nutrients)s 2 hours before or 4 hours after your medicines."
    ) % {"nutrients": join_words(nutrients)}
    # Translators: Dutch "Van %(medicines)s weten we niet hoe laat u het inneemt." and,
    # for more than one medicine, "… hoe laat u ze inneemt."
    unknown_times = npgettext(
        "day plan",
        "We do not know what time you take %(medicines)s.",
        "We do not know what time you take %(medicines)s.",
        len(unknown),
    ) % {"medicines": join_words(unknown)}
    return f"{rule} {unknown_times}"


def _doses(medications: list[dict]) -> tuple[list[_Dose], list[str]]:
    """The known doses of the day, and the names of the medicines whose times are not
    known (no intake times, or none that can be read)."""
    doses: list[_Dose] = []
    unknown: list[str] = []
    for medication in medications:
        minutes = {clock_minutes(item) for item in medication.get("intake_times") or ()}
        minutes.discard(None)
        if minutes:
            doses.extend(_Dose(medication["name"], m) for m in sorted(minutes))
        else:
            unknown.append(medication["name"])
    return doses, unknown


def _timing_words(timing: str) -> str:
    """A line's timing in words, for a line taken "as needed" in a snapshot without
    `timing_label`."""
    words = {
        "morning": gettext("in the morning"),
        "midday": gettext("at midday"),
        "evening": gettext("in the evening"),
        "bedtime": gettext("before bed"),
        "with_meals": gettext("with meals"),
        "between_meals": gettext("between meals"),
    }
    return words[timing]


def day_plan(lines: list[dict], medications: list[dict], separate_intake: set[str]) -> DayPlan:
    """The protocol's lines at the clock times of the day, in the active language.

    Pure: it reads the snapshot's line dicts (`practice.protocols.build_snapshot`), the
    medicines as `{"name", "atc_code", "intake_times"}` (missing or empty intake times:
    not known) and the nutrients whose check answered `separate_intake`.

    Each line goes to the moments of `SPREAD` (see `intake_schedule`) at the moments'
    `DEFAULT_CLOCK_TIMES`; lines taken "as needed" go to `as_needed`. A nutrient of
    `separate_intake` must be taken at least 2 hours before or at least 4 hours after every
    dose of a medicine with known times (the day repeats: a dose at 22:00 is 10 hours
    before 08:00). An intake that breaks that rule moves to the nearest moment that keeps
    it and the therapist's choice (`_place`); its note names the nearest dose ("om 12.30
    uur, ruim 4 uur na uw levothyroxine van 8.00 uur"), as does the note of an intake that
    stays within `NOTE_MARGIN` of a dose's window. When no moment keeps the rule the intake
    stays, its note tells the client plainly, and `warnings` tells the staff. Medicines
    whose times are not known get `general_rule`, in words.
    """
    doses, unknown = _doses(medications)
    by_slot: dict[str, list[PlannedIntake]] = {slot: [] for slot in SLOT_ORDER}
    as_needed: list[PlannedIntake] = []
    warnings: list[str] = []
    separated: list[str] = []
    for line in lines:
        name = tr(line, "nutrient_name")
        separate = line["nutrient"] in separate_intake
        if separate and in_sentence(name) not in separated:
            separated.append(in_sentence(name))
        intake = functools.partial(
            PlannedIntake,
            nutrient=line["nutrient"],
            name=name,
            form=tr(line, "form_name"),
            dose=dose_words(line),
        )
        if line["frequency"] == AS_NEEDED:
            timing_words = (
                tr(line["timing_label"])
                if "timing_label" in line
                else _timing_words(line["timing"])
            )
            note = ""
            if separate and medications:
                # Translators: Dutch "Neem het 2 uur vóór of 4 uur ná uw medicijnen in."
                note = pgettext(
                    "day plan", "Take it 2 hours before or 4 hours after your medicines."
                )
            as_needed.append(intake(meal_note=timing_words, note=note, moved_from=""))
            continue
        originals = SPREAD[(line["timing"], line["frequency"])]
        placing = _place(originals, line["timing"], doses) if separate and doses else originals
        stuck = []
        for original, slot in zip(originals, placing, strict=True):
            minutes = _minutes(slot)
            note = ""
            if separate and doses:
                if not all(dose.allows(minutes) for dose in doses):
                    note = _no_fit_note(minutes, doses)
                    stuck.append(minutes)
                elif slot != original or min(d.slack(minutes) for d in doses) < NOTE_MARGIN:
                    note = _placed_note(minutes, doses)
            by_slot[slot].append(
                intake(
                    meal_note=_meal_note(line["timing"], slot),
                    note=note,
                    moved_from=DEFAULT_CLOCK_TIMES[original] if slot != original else "",
                )
            )
        if stuck:
            warnings.append(_no_fit_warning(name, stuck, doses))
    return DayPlan(
        rows=tuple(
            PlanRow(
                time=DEFAULT_CLOCK_TIMES[slot],
                time_label=clock_words(DEFAULT_CLOCK_TIMES[slot]),
                moment_label=slot_label(slot),
                intakes=tuple(intakes),
            )
            for slot, intakes in by_slot.items()
            if intakes
        ),
        as_needed=tuple(as_needed),
        general_rule=_general_rule(separated, unknown) if separated and unknown else "",
        warnings=tuple(warnings),
    )
