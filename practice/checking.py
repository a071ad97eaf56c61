"""The interaction check of a consult: what it asks the rules, and its findings in words.

What the rule engine (`gutbrain.interactions.check`) is asked about a consult is built
here once (`check_inputs`): the nutrients of its lines (saved, or those of the consult
form as it stands on the page, `Draft`), the client's own supplements and medicines, and
pregnancy and breastfeeding. `check_consult` asks it.

How a finding is said is decided here once too, for each reader (`Reader`): the staff's
consult page, the physician's page of the handout (and the staff's protocol page, which
shows what the physician reads), and the client's pages. `word_finding` and
`word_results` take a live check's `Finding` and an issued snapshot's finding (a dict)
alike, so the page, the suggestions and the PDF say one thing one way. Protocols of
snapshot schema 1 keep the words they were issued with (`practice.pdf.schema1`).

"Nothing recorded" (`no_data`) never reads as safe, for any reader.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext, pgettext

from gutbrain.interactions import (
    LEVEL_ORDER,
    CheckResult,
    Finding,
    InteractionTable,
    check,
    load_table,
)
from gutbrain.interactions.rules import NutrientResult, OwnSupplement, UnknownNutrient
from gutbrain.templatetags.gutbrain_tags import level_label
from gutbrain.text import lower_first, tr
from practice.models import ClientSupplement, Consult
from practice.schedule import join_words

# What `check_inputs` reads of a consult besides its lines, for the querysets that load
# one (the lines' nutrients are selected with the lines).
CHECK_PREFETCH = (
    "client__medications",
    Prefetch("client__own_supplements", ClientSupplement.objects.select_related("nutrient")),
)


# The check's inputs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """The consult form as it stands on the page, not saved yet: the live check's lines
    and states."""

    nutrients: Sequence[str]
    """The slugs of the lines' nutrients, in the form's order."""
    pregnant: bool
    breastfeeding: bool


@dataclass(frozen=True)
class CheckInputs:
    """What `gutbrain.interactions.check` is asked about one consult."""

    nutrients: tuple[str, ...]
    atc_codes: tuple[str, ...]
    pregnant: bool
    breastfeeding: bool
    medicine_names: Mapping[str, str]
    """The client's own names of their medicines, by ATC code."""
    own_supplements: tuple[OwnSupplement, ...]


def check_inputs(consult: Consult, draft: Draft | None = None) -> CheckInputs:
    """The check's inputs for the saved consult, or with `draft` for the consult form as
    it stands. The client's medicines and own supplements are always the saved ones (load
    the consult with `CHECK_PREFETCH`, and its lines with their nutrients)."""
    client = consult.client
    medications = list(client.medications.all())
    if draft is None:
        nutrients = [line.nutrient.slug for line in consult.lines.all()]
        pregnant, breastfeeding = consult.pregnant, consult.breastfeeding
    else:
        nutrients, pregnant, breastfeeding = draft.nutrients, draft.pregnant, draft.breastfeeding
    return CheckInputs(
        nutrients=tuple(nutrients),
        atc_codes=tuple(m.atc_code for m in medications),
        pregnant=pregnant,
        breastfeeding=breastfeeding,
        medicine_names={m.atc_code: m.name for m in medications},
        own_supplements=tuple(
            OwnSupplement(name=own.name, nutrient=own.nutrient.slug if own.nutrient else None)
            for own in client.own_supplements.all()
        ),
    )


def check_consult(
    consult: Consult, table: InteractionTable | None = None, *, draft: Draft | None = None
) -> CheckResult:
    """The interaction check of a consult: its lines and the client's own supplements
    against the client's medicines and the consult's pregnancy and breastfeeding (with
    `draft`, the form's lines and states instead of the saved ones).

    Raises `ValidationError` when a line's nutrient has been unpublished since it was added:
    such a line can no longer be checked, so it must not pass as checked.
    """
    inputs = check_inputs(consult, draft)
    try:
        return check(
            table or load_table(),
            inputs.nutrients,
            inputs.atc_codes,
            pregnant=inputs.pregnant,
            breastfeeding=inputs.breastfeeding,
            medicine_names=inputs.medicine_names,
            own_supplements=inputs.own_supplements,
        )
    except UnknownNutrient as exc:
        raise ValidationError(
            gettext("These nutrients are no longer in the knowledge base: %(n)s.")
            % {"n": ", ".join(exc.slugs)},
            code="unpublished_nutrient",
        ) from exc


# The check in words ----------------------------------------------------------------------


class Reader(StrEnum):
    """Who reads a finding, which decides its words."""

    STAFF = "staff"
    """The therapist on the consult page: the source's terms, classes and ATC codes."""
    PHYSICIAN = "physician"
    """The handout's page for the physician or pharmacist, and the staff's protocol page
    that shows it: the source's terms, classes and ATC codes."""
    CLIENT = "client"
    """The handout's pages for the client: plain instructions, no codes, no class names,
    no level jargon."""


def level_words(level: str, reader: Reader) -> str:
    """A level of the check in the reader's words; never a colour alone."""
    if reader is not Reader.CLIENT:
        return level_label(level)
    labels = {
        "avoid": pgettext("client level", "Advised against"),
        "consult": pgettext("client level", "Talk to your doctor"),
        "monitor": pgettext(
            "client level", "Watch whether your medicine works differently; talk to your doctor"
        ),
        "separate_intake": pgettext("client level", "Not at the same time as your medicines"),
        "no_data": pgettext(
            "client level",
            "Nothing is known about interactions. That does not mean it is safe: ask your "
            "doctor or pharmacist.",
        ),
        "none_known": pgettext("client level", "No interactions with medicines known"),
        "clear": pgettext("client level", "No known interaction with your medicines"),
    }
    return labels[level]


@dataclass(frozen=True)
class WordedFinding:
    """One finding in the words of one reader."""

    level: str
    level_label: str
    """The finding's level in the reader's words."""
    concerns: str
    """What it is about. Staff and physician: the class and the client's medicines with
    their codes, or the state (pregnancy, breastfeeding). The client: only the state or
    "your medicines", never a code or a class name."""
    advice: str
    """What the reader is advised: the source's advice; for the client, the instruction."""
    client_advice: str
    """The one instruction the client's handout gives (the staff's protocol page shows it)."""
    references: tuple[int, ...]


@dataclass(frozen=True)
class WordedResult:
    """One nutrient's answer in the words of one reader."""

    nutrient: str
    name: str
    level: str
    findings: tuple[WordedFinding, ...]
    own_supplement: bool


def _get(data: Finding | NutrientResult | Mapping, name: str):
    """A field of a live check's `Finding` (`NutrientResult`) or of an issued snapshot's
    finding (result); None where an older snapshot lacks it."""
    return data.get(name) if isinstance(data, Mapping) else getattr(data, name)


def _state_words(reason: str) -> str:
    """The finding's reason as a client reads it; the staff and the physician read the
    state the same way."""
    return {
        "medicine": gettext("your medicines"),
        "any_medicine": gettext("your medicines"),
        "pregnancy": gettext("pregnancy"),
        "breastfeeding": gettext("breastfeeding"),
    }[reason]


def _medicine_list(atc_codes: Iterable[str], medicine_names: Mapping[str, str]) -> str:
    """ "oxazepam (N05BA04), N06AX99": each medicine by its name and code, or its code."""
    return ", ".join(
        f"{medicine_names[code]} ({code})" if medicine_names.get(code) else code
        for code in atc_codes
    )


def _class_name(finding: Finding | Mapping) -> str:
    """The finding's medicine class in running text; empty without one."""
    medicine_class = _get(finding, "medicine_class")
    return lower_first(tr(medicine_class, "name")) if medicine_class else ""


def physician_concerns(
    *,
    atc_codes: Sequence[str],
    medicine_names: Mapping[str, str],
    medicine_class: str,
    reason: str,
) -> str:
    """What a finding is about on the physician's page and the staff's protocol page:
    "kalmeringsmiddelen: oxazepam (N05BA04)", the medicines alone for a row about any
    medicine, or `reason` (the state) when no medicine is concerned. `medicine_class` is
    the class's name as the document writes it (schema 1 wrote it as a heading)."""
    if not atc_codes:
        return reason
    medicines = _medicine_list(atc_codes, medicine_names)
    return f"{medicine_class}: {medicines}" if medicine_class else medicines


def _concerns(finding: Finding | Mapping, medicine_names: Mapping[str, str], reader: Reader) -> str:
    reason, atc_codes = _get(finding, "reason"), _get(finding, "atc_codes")
    if reader is Reader.CLIENT:
        return _state_words(reason)
    if reader is Reader.PHYSICIAN:
        return physician_concerns(
            atc_codes=atc_codes,
            medicine_names=medicine_names,
            medicine_class=_class_name(finding),
            reason=_state_words(reason),
        )
    if reason in {"pregnancy", "breastfeeding"}:
        return _state_words(reason)
    medicines = _medicine_list(atc_codes, medicine_names)
    if _get(finding, "medicine_class") is not None:
        return f"{_class_name(finding)} – {medicines}"
    return gettext("any medicine – %(medicines)s") % {"medicines": medicines}


def concerns_in_short(finding: Finding | Mapping) -> str:
    """What a finding is about in a few words, for a summary line: the state, the
    medicine class, or "any medicine" (the CDS Hooks cards' summaries)."""
    reason = _get(finding, "reason")
    if reason in {"pregnancy", "breastfeeding"}:
        return _state_words(reason)
    return _class_name(finding) or gettext("any medicine")


def _generic_client_advice(reason: str, level: str, medicines: str) -> str:
    """For a row a curator has not written a client text for: the level's instruction,
    no weaker than the brochure."""
    if reason in {"pregnancy", "breastfeeding"}:
        state = (
            gettext("if you are pregnant")
            if reason == "pregnancy"
            else gettext("if you are breastfeeding")
        )
        if level == "avoid":
            return gettext("Do not use this %(state)s.") % {"state": state}
        return gettext("Talk to your doctor or midwife before you use this %(state)s.") % {
            "state": state
        }
    medicines = medicines or gettext("your medicines")
    return {
        "avoid": gettext("Do not use this together with %(medicines)s."),
        "consult": gettext("Talk to your doctor before you use this with %(medicines)s."),
        "monitor": gettext(
            "Watch whether %(medicines)s works differently, and talk to your doctor about it."
        ),
        "separate_intake": gettext(
            "Do not take this at the same time as %(medicines)s: take it 2 hours before or "
            "4 hours after."
        ),
        "no_data": gettext(
            "Nothing is known about this with %(medicines)s. That does not mean it is safe: "
            "ask your doctor or pharmacist."
        ),
        "none_known": gettext("No interactions with medicines are known."),
    }[level] % {"medicines": medicines}


def _client_instruction(finding: Finding | Mapping, medicine_names: Mapping[str, str]) -> str:
    """One finding as one instruction for the client: the row's curated client text, with
    `{medicines}` replaced by the names of the client's medicines it is about."""
    medicines = join_words(
        [medicine_names.get(code) or code for code in _get(finding, "atc_codes")]
    )
    text = tr(finding, "client_advice")
    if not text:
        return _generic_client_advice(_get(finding, "reason"), _get(finding, "level"), medicines)
    return text.replace("{medicines}", medicines or gettext("your medicines"))


def word_finding(
    finding: Finding | Mapping, medicine_names: Mapping[str, str], reader: Reader
) -> WordedFinding:
    """`finding`, of a live check or of an issued snapshot, in the words of `reader`.
    `medicine_names` names the client's medicines by ATC code."""
    level = _get(finding, "level")
    client_advice = _client_instruction(finding, medicine_names)
    return WordedFinding(
        level=level,
        level_label=level_words(level, reader),
        concerns=_concerns(finding, medicine_names, reader),
        advice=client_advice if reader is Reader.CLIENT else tr(finding, "advice"),
        client_advice=client_advice,
        references=tuple(_get(finding, "references")),
    )


def word_results(
    results: Iterable[NutrientResult | Mapping],
    nutrient_names: Mapping[str, str],
    medicine_names: Mapping[str, str],
    reader: Reader,
) -> list[WordedResult]:
    """The answers of a check, live or issued, in the words of `reader`, with each
    nutrient's name from `nutrient_names` (by slug)."""
    worded = []
    for result in results:
        slug = _get(result, "nutrient")
        worded.append(
            WordedResult(
                nutrient=slug,
                name=nutrient_names[slug],
                level=_get(result, "level"),
                findings=tuple(
                    word_finding(f, medicine_names, reader) for f in _get(result, "findings")
                ),
                own_supplement=_get(result, "source") == "own_supplement",
            )
        )
    return worded


def check_summary(results: Sequence[WordedResult]) -> list[tuple[str, list[str]]]:
    """The check in one glance: each level with findings, and nothing recorded (never
    shown as safe), most serious first, with the names of its nutrients."""
    shown = LEVEL_ORDER[: LEVEL_ORDER.index("no_data") + 1]  # what needs attention
    groups = [(level, [r.name for r in results if r.level == level]) for level in shown]
    return [(level, names) for level, names in groups if names]


def left_out_because(finding: Finding) -> str:
    """Why a suggestion is left out, in the staff's words: "advised against during
    pregnancy", "advised against with MAO inhibitors (N06AF03)"."""
    if finding.reason == "pregnancy":
        return gettext("advised against during pregnancy")
    if finding.reason == "breastfeeding":
        return gettext("advised against while breastfeeding")
    medicines = ", ".join(finding.atc_codes)
    if finding.medicine_class is not None:
        return gettext("advised against with %(class)s (%(medicines)s)") % {
            "class": _class_name(finding),
            "medicines": medicines,
        }
    return gettext("advised against with medicines (%(medicines)s)") % {"medicines": medicines}
