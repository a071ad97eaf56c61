"""The second edition of the knowledge base, for a database that already holds the first.

- The editors' additions to seven medicine classes, each with its reason
  (MEDICATION-CLASSES.md, "Clinical completion of the classes").
- Sixteen medicines of the reference list that the additions name; seven medicines under
  their Dutch names.
- Three slips against the brochure: the doses of ashwagandha, saffron and theanine are
  the doses of studies, not usual doses; the saffron trial found more than 50% and more
  than 20%, not exactly 50 and 20; the pre- and probiotics review (reference 19) is about
  prebiotics too, and about anxiety disorders as well as depression.

A fresh install has no knowledge base yet when this runs (`load_knowledge_base` loads
the fixture, which holds all of this, after migrating): nothing is done then. Every change
is made only where the first edition's value is still there, so a curator's own edit is
left alone; the reverse undoes exactly those changes, again only where this migration's
value is still there.
"""

from decimal import Decimal

from django.db import migrations

# slug: (editors' additions, note in Dutch, note in English)
EDITOR_ADDITIONS = {
    "benzodiazepines": (
        "N03AE",
        "Clonazepam (N03AE01) is een benzodiazepine, maar staat in de ATC-indeling bij de "
        "anti-epileptica. Zonder deze aanvulling zou de check bij clonazepam niets melden.",
        "Clonazepam (N03AE01) is a benzodiazepine, but the ATC classification files it under "
        "the anti-epileptics. Without this addition the check would report nothing for "
        "clonazepam.",
    ),
    "sedatives": (
        "N03AE, N03AA, R06AD02",
        "Kalmeringsmiddelen die in de ATC-indeling buiten N05 vallen: clonazepam (N03AE01), "
        "een benzodiazepine bij de anti-epileptica; barbituraten zoals fenobarbital "
        "(N03AA02); en promethazine (R06AD02), een sederend antihistaminicum dat als "
        "kalmeringsmiddel wordt gebruikt.",
        "Sedatives the ATC classification files outside N05: clonazepam (N03AE01), a "
        "benzodiazepine among the anti-epileptics; barbiturates such as phenobarbital "
        "(N03AA02); and promethazine (R06AD02), a sedating antihistamine used as a sedative.",
    ),
    "psychotropic-drugs": (
        "N03AE, N03AA, N03AG01, N03AF01, N03AX09, N07B",
        "Psychofarmaca die in de ATC-indeling buiten N05 en N06 vallen: de "
        "kalmeringsmiddelen clonazepam (N03AE01) en de barbituraten (N03AA), zoals "
        "fenobarbital (N03AA02); de stemmingsstabilisatoren valproïnezuur (N03AG01), "
        "carbamazepine (N03AF01) en lamotrigine (N03AX09); en middelen bij verslaving "
        "(N07B), zoals methadon (N07BC02) en buprenorfine (N07BC01).",
        "Psychotropic drugs the ATC classification files outside N05 and N06: the sedatives "
        "clonazepam (N03AE01) and the barbiturates (N03AA), such as phenobarbital (N03AA02); "
        "the mood stabilisers valproic acid (N03AG01), carbamazepine (N03AF01) and "
        "lamotrigine (N03AX09); and medicines used in addiction (N07B), such as methadone "
        "(N07BC02) and buprenorphine (N07BC01).",
    ),
    "mao-inhibitors": (
        "J01XX08, V03AB17, L01XB01",
        "Ook linezolid (J01XX08, een antibioticum), methylthioniniumchloride (methyleenblauw, "
        "V03AB17) en procarbazine (L01XB01, een cytostaticum) remmen MAO. Met tryptofaan "
        "geeft dat een risico op het serotoninesyndroom.",
        "Linezolid (J01XX08, an antibiotic), methylthioninium chloride (methylene blue, "
        "V03AB17) and procarbazine (L01XB01, a cytostatic) inhibit MAO too. With tryptophan "
        "that carries a risk of serotonin syndrome.",
    ),
    "immunosuppressants": (
        "H02AB, L01, P01BA02",
        "Ook deze middelen onderdrukken het immuunsysteem, maar vallen buiten L04: "
        "systemische glucocorticoïden (H02AB), zoals prednisolon (H02AB06); cytostatica "
        "(L01), zoals methotrexaat (L01BA01); en hydroxychloroquine (P01BA02).",
        "These medicines suppress the immune system too, but fall outside L04: systemic "
        "glucocorticoids (H02AB), such as prednisolone (H02AB06); cytostatics (L01), such as "
        "methotrexate (L01BA01); and hydroxychloroquine (P01BA02).",
    ),
    "acetylcholine-metabolism": (
        "N07AA, A03B, G04BD",
        "Ook deze middelen werken op het acetylcholinemetabolisme, buiten de voorbeelden van "
        "de brochure: cholinesteraseremmers die niet bij dementie worden gebruikt (N07AA), "
        "zoals pyridostigmine (N07AA02); en anticholinergica, zoals de belladonna-alkaloïden "
        "(A03B) en oxybutynine (G04BD04).",
        "These medicines act on acetylcholine metabolism too, beyond the brochure's examples: "
        "cholinesterase inhibitors used outside dementia (N07AA), such as pyridostigmine "
        "(N07AA02); and anticholinergics, such as the belladonna alkaloids (A03B) and "
        "oxybutynin (G04BD04).",
    ),
    "anti-epileptics": (
        "N02BF",
        "Sinds ATC 2023 staan de gabapentinoïden bij N02BF, buiten N03: pregabaline "
        "(N02BF02) en gabapentine (N02BF01).",
        "Since ATC 2023 the gabapentinoids are filed under N02BF, outside N03: pregabalin "
        "(N02BF02) and gabapentin (N02BF01).",
    ),
}

# The examples the additions name, for the medicine reference list.
NEW_MEDICINES = {
    "N03AE01": "clonazepam",
    "N03AA02": "fenobarbital",
    "R06AD02": "promethazine",
    "J01XX08": "linezolid",
    "V03AB17": "methylthioniniumchloride (methyleenblauw)",
    "L01XB01": "procarbazine",
    "H02AB06": "prednisolon",
    "L01BA01": "methotrexaat",
    "P01BA02": "hydroxychloroquine",
    "N02BF02": "pregabaline",
    "N02BF01": "gabapentine",
    "N07AA02": "pyridostigmine",
    "G04BD04": "oxybutynine",
    "N03AF01": "carbamazepine",
    "N07BC02": "methadon",
    "N07BC01": "buprenorfine",
}

# ATC code: (first edition's English name, Dutch name)
DUTCH_NAMES = {
    "S01EB01": ("pilocarpine (eye drops)", "pilocarpine (oogdruppels)"),
    "N03AG01": ("valproic acid", "valproïnezuur"),
    "L04AD01": ("ciclosporin", "ciclosporine"),
    "A10BA02": ("metformin", "metformine"),
    "C03AA03": ("hydrochlorothiazide", "hydrochloorthiazide"),
    "N06BA04": ("methylphenidate", "methylfenidaat"),
    "N06AF03": ("phenelzine", "fenelzine"),
}

# slug: (dose amount, dose as written in Dutch) of the first edition; all study doses.
STUDY_DOSES = {
    "ashwagandha": (Decimal("300"), "300 mg per dag"),
    "saffron": (Decimal("30"), "30 mg per dag"),
    "theanine": (Decimal("200"), "200 mg L-theanine"),
}

SAFFRON_RESULT_EN = (
    "After 6 weeks, over 50% fewer depressive feelings in the saffron group against over 20% "
    "in the placebo group.",
    "After 6 weeks, more than 50% fewer depressive feelings in the saffron group against more "
    "than 20% in the placebo group.",
)
# The trial box gives lower bounds ("ruim 50%"), which a bar chart would show as exact.
SAFFRON_FIGURES = (Decimal("-50"), Decimal("-20"))

REVIEW_TITLES = {
    # indication slug: (Dutch title, English title)
    "depressive-feelings-burnout": (
        "Pre- en probiotica bij depressie (review)",
        "Pre- and probiotics in depression (review)",
    ),
    "anxious-feelings": (
        "Pre- en probiotica bij angststoornissen (review)",
        "Pre- and probiotics in anxiety disorders (review)",
    ),
}
FIRST_REVIEW_TITLE = (
    "Pre- en probiotica bij mentale aandoeningen (review)",
    "Pre- and probiotics in mental disorders (review)",
)
# nutrient slug, indication slug, order: the rows the review gains.
NEW_REVIEW_ROWS = [
    ("probiotics", "anxious-feelings", 2),
    ("prebiotics", "depressive-feelings-burnout", 1),
    ("prebiotics", "anxious-feelings", 2),
]


def _knowledge_base_loaded(apps) -> bool:
    return apps.get_model("gutbrain", "Nutrient").objects.exists()


def complete(apps, schema_editor):
    if not _knowledge_base_loaded(apps):
        return
    _add_editor_prefixes(apps)
    _add_medicines(apps)
    _use_dutch_names(apps, forward=True)
    _label_study_doses(apps, forward=True)
    _correct_saffron_outcome(apps, forward=True)
    _extend_review(apps)


def uncomplete(apps, schema_editor):
    _remove_editor_prefixes(apps)
    _remove_medicines(apps)
    _use_dutch_names(apps, forward=False)
    _label_study_doses(apps, forward=False)
    _correct_saffron_outcome(apps, forward=False)
    _shrink_review(apps)


def _add_editor_prefixes(apps) -> None:
    MedicineClass = apps.get_model("gutbrain", "MedicineClass")
    for slug, (prefixes, note_nl, note_en) in EDITOR_ADDITIONS.items():
        MedicineClass.objects.filter(slug=slug, editor_prefixes="", editor_note_nl="").update(
            editor_prefixes=prefixes, editor_note_nl=note_nl, editor_note_en=note_en
        )


def _remove_editor_prefixes(apps) -> None:
    MedicineClass = apps.get_model("gutbrain", "MedicineClass")
    for slug, (prefixes, note_nl, note_en) in EDITOR_ADDITIONS.items():
        MedicineClass.objects.filter(
            slug=slug, editor_prefixes=prefixes, editor_note_nl=note_nl, editor_note_en=note_en
        ).update(editor_prefixes="", editor_note_nl="", editor_note_en="")


def _add_medicines(apps) -> None:
    Medicine = apps.get_model("gutbrain", "Medicine")
    for code, name in NEW_MEDICINES.items():
        Medicine.objects.get_or_create(atc_code=code, defaults={"name": name})


def _remove_medicines(apps) -> None:
    # A medicine a curator had added under another name before is kept; one under this
    # very name cannot be told from ours.
    Medicine = apps.get_model("gutbrain", "Medicine")
    for code, name in NEW_MEDICINES.items():
        Medicine.objects.filter(atc_code=code, name=name).delete()


def _use_dutch_names(apps, *, forward: bool) -> None:
    Medicine = apps.get_model("gutbrain", "Medicine")
    for code, (english, dutch) in DUTCH_NAMES.items():
        old, new = (english, dutch) if forward else (dutch, english)
        Medicine.objects.filter(atc_code=code, name=old).update(name=new)


def _label_study_doses(apps, *, forward: bool) -> None:
    Nutrient = apps.get_model("gutbrain", "Nutrient")
    old, new = ("usual", "study") if forward else ("study", "usual")
    for slug, (amount, written) in STUDY_DOSES.items():
        Nutrient.objects.filter(
            slug=slug, usual_dose_amount=amount, usual_dose_nl=written, dose_basis=old
        ).update(dose_basis=new)


def _saffron_outcomes(apps):
    EvidenceOutcome = apps.get_model("gutbrain", "EvidenceOutcome")
    return EvidenceOutcome.objects.filter(
        summary__nutrient__slug="saffron",
        summary__design="rct",
        measure_nl="Depressieve gevoelens",
    )


def _correct_saffron_outcome(apps, *, forward: bool) -> None:
    first, second = SAFFRON_RESULT_EN
    intervention, comparator = SAFFRON_FIGURES
    outcomes = _saffron_outcomes(apps)
    if forward:
        outcomes.filter(intervention_change=intervention, comparator_change=comparator).update(
            intervention_change=None, comparator_change=None
        )
        outcomes.filter(result_en=first).update(result_en=second)
        return
    # The figures only where this migration's text is still there: it cleared them.
    outcomes.filter(intervention_change=None, comparator_change=None, result_en=second).update(
        intervention_change=intervention, comparator_change=comparator
    )
    outcomes.filter(result_en=second).update(result_en=first)


def _extend_review(apps) -> None:
    EvidenceSummary = apps.get_model("gutbrain", "EvidenceSummary")
    Indication = apps.get_model("gutbrain", "Indication")
    Nutrient = apps.get_model("gutbrain", "Nutrient")
    review = EvidenceSummary.objects.filter(
        nutrient__slug="probiotics",
        design="review",
        indication__slug="depressive-feelings-burnout",
        title_nl=FIRST_REVIEW_TITLE[0],
        references__number=19,
    ).first()
    if review is None:
        return
    references = list(review.references.all())
    review.title_nl, review.title_en = REVIEW_TITLES["depressive-feelings-burnout"]
    review.save(update_fields=["title_nl", "title_en"])
    for nutrient_slug, indication_slug, order in NEW_REVIEW_ROWS:
        nutrient = Nutrient.objects.filter(slug=nutrient_slug).first()
        indication = Indication.objects.filter(slug=indication_slug).first()
        if nutrient is None or indication is None:
            continue
        title_nl, title_en = REVIEW_TITLES[indication_slug]
        row = EvidenceSummary.objects.create(
            nutrient=nutrient,
            indication=indication,
            title_nl=title_nl,
            title_en=title_en,
            design=review.design,
            population_nl=review.population_nl,
            population_en=review.population_en,
            summary_nl=review.summary_nl,
            summary_en=review.summary_en,
            certainty=review.certainty,
            source_location=review.source_location,
            order=order,
        )
        row.references.set(references)


def _shrink_review(apps) -> None:
    # Not apps.get_model(): when 0004 is unapplied in the same run, the state renders
    # EvidenceSummary anew (it points to Nutrient, which 0004 changes) but leaves
    # EvidenceOutcome pointing to the earlier class, and deleting a summary then fails
    # ("Must be EvidenceSummary instance"). The class the outcomes point to is the one
    # every relation agrees on.
    EvidenceOutcome = apps.get_model("gutbrain", "EvidenceOutcome")
    EvidenceSummary = EvidenceOutcome._meta.get_field("summary").related_model
    for nutrient_slug, indication_slug, _order in NEW_REVIEW_ROWS:
        title_nl, title_en = REVIEW_TITLES[indication_slug]
        EvidenceSummary.objects.filter(
            nutrient__slug=nutrient_slug,
            indication__slug=indication_slug,
            design="review",
            title_nl=title_nl,
            title_en=title_en,
        ).delete()
    depression_nl, depression_en = REVIEW_TITLES["depressive-feelings-burnout"]
    EvidenceSummary.objects.filter(
        nutrient__slug="probiotics",
        indication__slug="depressive-feelings-burnout",
        design="review",
        title_nl=depression_nl,
        title_en=depression_en,
    ).update(title_nl=FIRST_REVIEW_TITLE[0], title_en=FIRST_REVIEW_TITLE[1])


class Migration(migrations.Migration):
    dependencies = [("gutbrain", "0004_editor_prefixes_dose_basis_real_atc_groups")]

    operations = [migrations.RunPython(complete, uncomplete)]
