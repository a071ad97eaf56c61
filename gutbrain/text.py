"""Texts of the knowledge base and the snapshots in the reader's language, and how names
stand in running text.

Everything written in both languages is stored twice, `…_nl` and `…_en` (models, check
data, issued snapshots): `tr` is the one way to choose, under the active language, with the
Dutch as the fallback where no English was written. The models have it as
`Localized.tr(field)`, the templates as the filter `{{ obj|tr:"name" }}`. What a finding of
the interaction check is about is said by `finding_concerns`, on the staff pages and in
the CDS Hooks cards alike.

The knowledge base stores names as headings write them ("Kalmeringsmiddelen", "Stress");
mid-sentence, after a colon or in a list, Dutch writes them in lower case (`lower_first`).
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import get_language
from django.utils.translation import gettext as _

if TYPE_CHECKING:  # the models import this module, and the interactions the models
    from gutbrain.interactions.rules import Finding


def is_english() -> bool:
    """Whether the active language is English (else Dutch, the default)."""
    return (get_language() or "nl").startswith("en")


def tr(data, field: str | None = None) -> str:
    """The text `field` of `data` in the active language: `field_en` under English when
    it is filled in, else `field_nl`. `data` is an object (its attributes) or a dict (its
    keys, as in a snapshot); without `field`, `data` is a pair `{"nl": …, "en": …}`."""
    nl, en = (f"{field}_nl", f"{field}_en") if field else ("nl", "en")
    get = data.get if isinstance(data, dict) else lambda name: getattr(data, name, "")
    english = get(en) if is_english() else ""
    return english or get(nl) or ""


def lower_first(name: str) -> str:
    """`name` as it stands mid-sentence: "Kalmeringsmiddelen" → "kalmeringsmiddelen",
    "IJzer" → "ijzer" (the Dutch IJ is one letter), while abbreviations and prefixes keep
    their capitals ("MAO-remmers", "GABA", "L-theanine")."""
    capital = 2 if name.startswith("IJ") else 1
    if len(name) > capital and name[:capital].isupper() and name[capital].islower():
        return name[:capital].lower() + name[capital:]
    return name


def finding_concerns(
    finding: "Finding", medicine_names: Mapping[str, str], *, with_medicines: bool = True
) -> str:
    """What a finding of the check is about, in running text: "pregnancy", or the medicine
    class with the client's medicines in it, "MAO-remmers – fenelzine (N06AF03)"; without
    the medicines for a heading ("MAO-remmers", "any medicine")."""
    if finding.reason == "pregnancy":
        return _("pregnancy")
    if finding.reason == "breastfeeding":
        return _("breastfeeding")
    if not with_medicines:
        if finding.medicine_class is not None:
            return lower_first(tr(finding.medicine_class, "name"))
        return _("any medicine")
    medicines = ", ".join(
        f"{medicine_names[code]} ({code})" if medicine_names.get(code) else code
        for code in finding.atc_codes
    )
    if finding.medicine_class is not None:
        return f"{lower_first(tr(finding.medicine_class, 'name'))} – {medicines}"
    return _("any medicine – %(medicines)s") % {"medicines": medicines}
