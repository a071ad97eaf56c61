"""The interaction rules, a pure function of the client and the table.

No request, no template and no database here: `check()` takes the table as plain data
(see `table.load_table()`), so every rule is tested without a database.

A nutrient's answer is, in this order:
- its most serious finding, when a row of the table applies to the client;
- `no_data` when the table holds nothing at all on the nutrient: nothing recorded is not
  the same as safe, and ranks above the reassuring answers;
- `none_known` when the table states that no interactions are known (saffron for a
  client who is not pregnant);
- `clear` when the table has rows for the nutrient but none applies to this client.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class InteractionTable:
    rules: Mapping[str, tuple[Rule, ...]]
    """Rows by nutrient slug; a slug that is absent has no rows at all."""
    nutrients: frozenset[str]
    """Every nutrient slug the knowledge base knows, with or without rows."""


@dataclass(frozen=True)
class Finding:
    level: str
    reason: str  # medicine | any_medicine | pregnancy | breastfeeding
    atc_codes: tuple[str, ...]
    medicine_class: MedicineClassRule | None
    advice_nl: str
    advice_en: str
    references: tuple[int, ...]


@dataclass(frozen=True)
class NutrientResult:
    nutrient: str
    level: str
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    results: tuple[NutrientResult, ...]
    worst_level: str | None = field(default=None)


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


def check_nutrient(
    table: InteractionTable,
    nutrient: str,
    atc_codes: tuple[str, ...],
    pregnant: bool,
    breastfeeding: bool,
) -> NutrientResult:
    rules = table.rules.get(nutrient, ())
    if not rules:
        return NutrientResult(nutrient=nutrient, level="no_data")
    findings = [
        f
        for rule in rules
        if (f := _findings(rule, atc_codes, pregnant, breastfeeding)) is not None
    ]
    if findings:
        findings.sort(key=lambda f: (_RANK[f.level], f.reason))
        return NutrientResult(nutrient=nutrient, level=findings[0].level, findings=tuple(findings))
    if any(rule.level == "none_known" for rule in rules):
        return NutrientResult(nutrient=nutrient, level="none_known")
    return NutrientResult(nutrient=nutrient, level="clear")


def check(
    table: InteractionTable,
    nutrients: Iterable[str],
    atc_codes: Iterable[str],
    pregnant: bool = False,
    breastfeeding: bool = False,
) -> CheckResult:
    """Check each nutrient against the client's medicines, pregnancy and breastfeeding.

    Nutrients are answered in the order given, each once. Raises `UnknownNutrient` for
    slugs the table does not know, so a typo is never answered with `no_data`.
    """
    slugs = list(dict.fromkeys(nutrients))
    unknown = [slug for slug in slugs if slug not in table.nutrients]
    if unknown:
        raise UnknownNutrient(unknown)
    codes = tuple(dict.fromkeys(code.strip().upper() for code in atc_codes))
    results = tuple(check_nutrient(table, s, codes, pregnant, breastfeeding) for s in slugs)
    return CheckResult(results=results, worst_level=worst_level(r.level for r in results))
