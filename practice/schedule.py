"""The intake schedule of a protocol: its lines arranged by time of day.

Pure: it reads the plain line dictionaries of a protocol snapshot (see
`practice.protocols.build_snapshot`) and the active language, never the database.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language, gettext, pgettext

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


def tr(data: dict, field: str) -> str:
    """`data[field + "_en"]` under English (Dutch when that is empty), else `_nl`."""
    if (get_language() or "nl").startswith("en"):
        return data.get(f"{field}_en") or data.get(f"{field}_nl") or ""
    return data.get(f"{field}_nl") or ""


def label(labels: dict) -> str:
    """A label frozen in both languages at issue time (`{"nl": …, "en": …}`)."""
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    return labels.get(lang) or labels.get("nl") or ""


def format_dose(amount: str, unit_labels: dict) -> str:
    """The dose as a client reads it: "2,5 mg" in Dutch, "2.5 mg" in English, and never
    "1E+2" for a hundred (the snapshot keeps normalised decimals)."""
    value = Decimal(amount)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return (
        f"{formats.number_format(value, use_l10n=True, force_grouping=True)} {label(unit_labels)}"
    )


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
                        label(line["timing_label"])
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
