"""The interaction rules, a pure function of the client and the table.

No request, no template and no database here: `check()` takes the table as plain data
(see `table.load_table()`), so every rule is tested without a database.

A nutrient's answer is, in this order:
- its most serious finding, when a row of the table applies to the client. For a client
  who is pregnant (breastfeeding), a nutrient without any row for that state gets a
  finding of level `no_data` with reason `pregnancy` (`breastfeeding`): the source
  records nothing about it, which is not the same as safe;
- `no_data` when the table holds nothing at all on the nutrient: nothing recorded is not
  the same as safe, and ranks above the reassuring answers;
- `none_known` when a row stating that no interactions are known applies to this client
  (saffron for a client who takes medicines);
- `clear` when the table has rows for the nutrient but none applies to this client.

Every finding carries two texts per language: the source's advice, for staff and the
physician, and the row's curated client text, for the client's handout (where
`{medicines}` is replaced by the names of the client's medicines the finding is about).

A consult's check also takes the client's own supplements: each one that is a nutrient of
the table is checked like a protocol line (marked `own_supplement`); one that is not is
listed as not checked, so nothing the client takes disappears without a word. Every
medicine is answered too: its name, whether the reference list knows its code, and every
class it falls in, so a therapist sees why a row applied or did not.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

# Most serious first. no_data ranks above the reassuring answers on purpose.
LEVEL_ORDER: tuple[str, ...] = (
    "avoid",
    "consult",
    "monitor",
    "separate_intake",
    "no_data",
    "none_known",
    "clear",
)
_RANK = {level: rank for rank, level in enumerate(LEVEL_ORDER)}
FINDING_LEVELS = frozenset({"avoid", "consult", "monitor", "separate_intake"})
STATES = ("pregnancy", "breastfeeding")

# The advice of a `no_data` finding for a state the source says nothing about, for the
# staff (the source's terms) and for the client's handout.
NO_DATA_ADVICE = {
    "pregnancy": (
        "De bron vermeldt niets over gebruik tijdens de zwangerschap. Dat betekent niet "
        "dat het veilig is.",
        "The source records nothing about use in pregnancy. That does not mean it is safe.",
    ),
    "breastfeeding": (
        "De bron vermeldt niets over gebruik tijdens de borstvoeding. Dat betekent niet "
        "dat het veilig is.",
        "The source records nothing about use while breastfeeding. That does not mean it is safe.",
    ),
}
NO_DATA_CLIENT_ADVICE = {
    "pregnancy": (
        "Over gebruik tijdens de zwangerschap is niets bekend. Dat betekent niet dat het "
        "veilig is: vraag het uw arts of verloskundige.",
        "Nothing is known about use during pregnancy. That does not mean it is safe: ask "
        "your doctor or midwife.",
    ),
    "breastfeeding": (
        "Over gebruik tijdens de borstvoeding is niets bekend. Dat betekent niet dat het "
        "veilig is: vraag het uw arts of verloskundige.",
        "Nothing is known about use while breastfeeding. That does not mean it is safe: ask "
        "your doctor or midwife.",
    ),
}


def worst_level(levels: Iterable[str]) -> str | None:
    """The most serious of `levels`, or None when there are none."""
    return min(levels, key=_RANK.__getitem__, default=None)


@dataclass(frozen=True)
class MedicineClassRule:
    slug: str
    name_nl: str
    name_en: str
    prefixes: tuple[str, ...]
    """The class's own prefixes together with those of every class nested below it."""

    def matching(self, atc_codes: Iterable[str]) -> tuple[str, ...]:
        return tuple(code for code in atc_codes if code.startswith(self.prefixes))


@dataclass(frozen=True)
class Rule:
    """One row of the interaction table."""

    nutrient: str
    target: str  # medicine_class | any_medicine | pregnancy | breastfeeding
    level: str  # avoid | consult | monitor | separate_intake | none_known
    advice_nl: str
    advice_en: str
    references: tuple[int, ...] = ()
    medicine_class: MedicineClassRule | None = None
    client_advice_nl: str = ""
    """What the client's handout says; may hold `{medicines}`. Empty: not written yet."""
    client_advice_en: str = ""


@dataclass(frozen=True)
class InteractionTable:
    rules: Mapping[str, tuple[Rule, ...]]
    """Rows by nutrient slug; a slug that is absent has no rows at all."""
    nutrients: frozenset[str]
    """Every nutrient slug the knowledge base knows, with or without rows."""
    classes: tuple[MedicineClassRule, ...] = ()
    """Every medicine class, to tell which classes a medicine falls in."""
    reference: Mapping[str, str] = field(default_factory=dict)
    """The medicine reference list: name by ATC code."""


@dataclass(frozen=True)
class Finding:
    level: str  # a FINDING_LEVEL, or no_data for a state the source says nothing about
    reason: str  # medicine | any_medicine | pregnancy | breastfeeding
    atc_codes: tuple[str, ...]
    medicine_class: MedicineClassRule | None
    advice_nl: str
    advice_en: str
    references: tuple[int, ...]
    client_advice_nl: str = ""
    """The row's text for the client's handout, `{medicines}` still in it; empty when a
    curator has not written one."""
    client_advice_en: str = ""


@dataclass(frozen=True)
class NutrientResult:
    nutrient: str
    level: str
    findings: tuple[Finding, ...] = ()
    source: str | None = None
    """In a consult's check: `protocol` (a line) or `own_supplement`; else None."""


@dataclass(frozen=True)
class OwnSupplement:
    """A supplement the client takes on their own."""

    name: str
    nutrient: str | None
    """The slug of the knowledge base's nutrient, when it is one."""


@dataclass(frozen=True)
class NotChecked:
    name: str
    reason: str = "not_in_knowledge_base"


@dataclass(frozen=True)
class MedicineResult:
    atc_code: str
    name: str | None
    """The client's name for it, else the reference list's, else None."""
    in_reference_list: bool
    classes: tuple[str, ...]
    """Slugs of every class the code falls in, nesting included."""


@dataclass(frozen=True)
class CheckResult:
    results: tuple[NutrientResult, ...]
    worst_level: str | None = field(default=None)
    medicines: tuple[MedicineResult, ...] = ()
    not_checked: tuple[NotChecked, ...] = ()
    pregnant: bool = False
    breastfeeding: bool = False

    def medicines_data(self) -> dict[str, list[dict]]:
        """The medicines checked and the names that could not be, as plain data: the API's
        answer and a protocol's snapshot write them so."""
        return {
            "medicines": [{**asdict(m), "classes": list(m.classes)} for m in self.medicines],
            "not_checked": [asdict(n) for n in self.not_checked],
        }

    @property
    def digest(self) -> str:
        """SHA-256 of everything the answer says, in both languages, and of the states
        checked: equal digests mean the same answer to the same question."""
        content = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(content.encode()).hexdigest()


class UnknownNutrient(ValueError):
    def __init__(self, slugs: list[str]):
        super().__init__(f"Unknown nutrients: {', '.join(slugs)}")
        self.slugs = slugs


def _findings(
    rule: Rule, atc_codes: tuple[str, ...], pregnant: bool, breastfeeding: bool
) -> Finding | None:
    def finding(reason: str, codes: tuple[str, ...] = ()) -> Finding:
        return Finding(
            level=rule.level,
            reason=reason,
            atc_codes=codes,
            medicine_class=rule.medicine_class,
            advice_nl=rule.advice_nl,
            advice_en=rule.advice_en,
            references=rule.references,
            client_advice_nl=rule.client_advice_nl,
            client_advice_en=rule.client_advice_en,
        )

    if rule.level not in FINDING_LEVELS:
        return None
    if rule.target == "medicine_class":
        assert rule.medicine_class is not None
        codes = rule.medicine_class.matching(atc_codes)
        return finding("medicine", codes) if codes else None
    if rule.target == "any_medicine":
        return finding("any_medicine", atc_codes) if atc_codes else None
    if rule.target == "pregnancy":
        return finding("pregnancy") if pregnant else None
    if rule.target == "breastfeeding":
        return finding("breastfeeding") if breastfeeding else None
    raise ValueError(f"Unknown interaction target {rule.target!r}")


def _applies(rule: Rule, atc_codes: tuple[str, ...], pregnant: bool, breastfeeding: bool) -> bool:
    if rule.target == "medicine_class":
        assert rule.medicine_class is not None
        return bool(rule.medicine_class.matching(atc_codes))
    if rule.target == "any_medicine":
        return bool(atc_codes)
    return {"pregnancy": pregnant, "breastfeeding": breastfeeding}[rule.target]


def _nothing_recorded(state: str) -> Finding:
    advice_nl, advice_en = NO_DATA_ADVICE[state]
    client_advice_nl, client_advice_en = NO_DATA_CLIENT_ADVICE[state]
    return Finding(
        level="no_data",
        reason=state,
        atc_codes=(),
        medicine_class=None,
        advice_nl=advice_nl,
        advice_en=advice_en,
        references=(),
        client_advice_nl=client_advice_nl,
        client_advice_en=client_advice_en,
    )


def check_nutrient(
    table: InteractionTable,
    nutrient: str,
    atc_codes: tuple[str, ...],
    pregnant: bool,
    breastfeeding: bool,
    source: str | None = None,
) -> NutrientResult:
    rules = table.rules.get(nutrient, ())
    findings = [
        f
        for rule in rules
        if (f := _findings(rule, atc_codes, pregnant, breastfeeding)) is not None
    ]
    states = {"pregnancy": pregnant, "breastfeeding": breastfeeding}
    findings.extend(
        _nothing_recorded(state)
        for state in STATES
        if states[state] and not any(rule.target == state for rule in rules)
    )
    findings.sort(key=lambda f: (_RANK[f.level], f.reason))

    def result(level: str) -> NutrientResult:
        return NutrientResult(nutrient, level, tuple(findings), source)

    if not rules:
        return result("no_data")
    if findings:
        return result(findings[0].level)
    if any(
        rule.level == "none_known" and _applies(rule, atc_codes, pregnant, breastfeeding)
        for rule in rules
    ):
        return result("none_known")
    return result("clear")


def _medicine(table: InteractionTable, code: str, name: str | None) -> MedicineResult:
    return MedicineResult(
        atc_code=code,
        name=name or table.reference.get(code),
        in_reference_list=code in table.reference,
        classes=tuple(c.slug for c in table.classes if c.matching((code,))),
    )


def check(
    table: InteractionTable,
    nutrients: Iterable[str],
    atc_codes: Iterable[str],
    pregnant: bool = False,
    breastfeeding: bool = False,
    *,
    medicine_names: Mapping[str, str] | None = None,
    own_supplements: Iterable[OwnSupplement] | None = None,
) -> CheckResult:
    """Check each nutrient against the client's medicines, pregnancy and breastfeeding.

    Nutrients are answered in the order given, each once. Raises `UnknownNutrient` for
    slugs the table does not know, so a typo is never answered with `no_data`.

    `medicine_names` gives the client's own names of their medicines by code. With
    `own_supplements` (a consult's check) every result says its `source`, the own
    supplements that are nutrients of the table and not already a line are checked after
    the lines, and the others are answered as `not_checked`.
    """
    slugs = list(dict.fromkeys(nutrients))
    unknown = [slug for slug in slugs if slug not in table.nutrients]
    if unknown:
        raise UnknownNutrient(unknown)
    names = {code.strip().upper(): name for code, name in (medicine_names or {}).items()}
    codes = tuple(dict.fromkeys(code.strip().upper() for code in atc_codes))

    def answer(slug: str, source: str | None) -> NutrientResult:
        return check_nutrient(table, slug, codes, pregnant, breastfeeding, source)

    consult = own_supplements is not None
    results = [answer(slug, "protocol" if consult else None) for slug in slugs]
    not_checked = []
    for own in own_supplements or ():
        if own.nutrient not in table.nutrients:
            not_checked.append(NotChecked(own.name))
        elif own.nutrient not in slugs:
            slugs.append(own.nutrient)
            results.append(answer(own.nutrient, "own_supplement"))
    return CheckResult(
        results=tuple(results),
        worst_level=worst_level(r.level for r in results),
        medicines=tuple(_medicine(table, code, names.get(code)) for code in codes),
        not_checked=tuple(not_checked),
        pregnant=pregnant,
        breastfeeding=breastfeeding,
    )
