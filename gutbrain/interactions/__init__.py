"""The interaction check: pure rules (`rules`) over a table loaded once (`table`)."""

from gutbrain.interactions.rules import (
    LEVEL_ORDER,
    CheckResult,
    Finding,
    InteractionTable,
    MedicineClassRule,
    NutrientResult,
    Rule,
    check,
    worst_level,
)
from gutbrain.interactions.table import load_table

__all__ = [
    "LEVEL_ORDER",
    "CheckResult",
    "Finding",
    "InteractionTable",
    "MedicineClassRule",
    "NutrientResult",
    "Rule",
    "check",
    "load_table",
    "worst_level",
]
