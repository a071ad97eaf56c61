"""The brochure's own spelling errors corrected, and each complaint of figure 1 named once.

- Spelling and grammar the Dutch editor's review found (DUTCH-TEXTS-2026-12-02.md,
  "Knowledge base: the brochure's own spelling errors"): "tryptofaanrijke voeding",
  "serotonineniveau op peil", "immuunonderdrukkers", and the rest below. Only the
  wording changes; the clinical strength stays the brochure's. Each corrected text says
  so where curators and the staff pages see it: "(spelling gecorrigeerd)" after the place
  in the source (interaction rows, forms, evidence summaries; an outcome's on its
  summary), or a closing paragraph (a nutrient's description, a topic's text).
- Figure 1 names food hypersensitivities twice, as a causal factor and as a resulting
  complaint; the consult page listed both as "Voedselovergevoeligheden". They are named
  apart now; their slugs, which consults and protocols refer to, stay.
- "omeprazol", the Dutch name, in the medicine reference list (the other English names
  were made Dutch by 0005).

Every change is made only where the old wording is still there, so a curator's own edit
is left alone; the reverse undoes exactly those changes, again only where this
migration's wording is still there. A database without the knowledge base (a fresh
install: `load_knowledge_base` loads the fixture, which holds all of this, after
migrating) has nothing to change.
"""

from django.db import migrations

NOTE_NL = "Spelling gecorrigeerd ten opzichte van de brochure; de inhoud is ongewijzigd."
NOTE_EN = (
    "The spelling of the Dutch text was corrected from the brochure; the content is unchanged."
)
SOURCE_NOTE = " (spelling gecorrigeerd)"
SOURCE_LOCATION_MAX_LENGTH = 100

SHORT_CHAIN = [
    ("Korte-keten vetzuren", "Korteketenvetzuren"),
    ("korte-keten vetzuren", "korteketenvetzuren"),
]
REVIEW = [("Uit een review studie blijkt", "Uit een review blijkt")]
TRYPTOPHAN_FOOD = [
    ("Een tryptofaan rijke voeding", "Een tryptofaanrijke voeding"),
    ("het serotonine niveau op pijl te houden", "het serotonineniveau op peil te houden"),
]
IMMUNOSUPPRESSANTS = [("immuun-onderdrukkers", "immuunonderdrukkers")]
ACETYLCHOLINE = [("het acetylcholine metabolisme", "het acetylcholinemetabolisme")]
LOWERING = [
    (
        "bloedglucose en bloeddruk verlagende middelen",
        "bloedglucoseverlagende en bloeddrukverlagende middelen",
    )
]

# (model, lookup, {field: [(old, new), …]}). The pairs of a field are undone in the same
# order as they are made: a later pair's new wording may occur inside an earlier pair's.
CORRECTIONS = [
    ("Nutrient", {"slug": "tryptophan"}, {"description_nl": TRYPTOPHAN_FOOD}),
    (
        "Nutrient",
        {"slug": "magnesium"},
        {"mechanisms_nl": [("de slaap-waak cyclus", "de slaap-waakcyclus")]},
    ),
    (
        "Nutrient",
        {"slug": "prebiotics"},
        {"description_nl": SHORT_CHAIN + REVIEW, "mechanisms_nl": SHORT_CHAIN},
    ),
    ("Nutrient", {"slug": "probiotics"}, {"description_nl": REVIEW}),
    (
        "Topic",
        {"slug": "brain-gut-axis"},
        {
            "body_nl": [
                ("via verschillende communicatie-routes", "via verschillende communicatieroutes"),
                (
                    "Vanwege deze tweezijdige communicatie, kan",
                    "Vanwege deze tweezijdige communicatie kan",
                ),
                ("Neuro-modulerende metabolieten", "Neuromodulerende metabolieten"),
                ("Onder neuro-modulerende metabolieten", "Onder neuromodulerende metabolieten"),
                *SHORT_CHAIN,
            ]
        },
    ),
    (
        "Topic",
        {"slug": "serotonin"},
        {
            "body_nl": [
                *TRYPTOPHAN_FOOD,
                ("via neuro-modulerende metabolieten", "via neuromodulerende metabolieten"),
                ("het enzym tryptofaan hydroxylase", "het enzym tryptofaanhydroxylase"),
                ("het aantal serotonine-transporters", "het aantal serotoninetransporters"),
            ]
        },
    ),
    ("Topic", {"slug": "gaba"}, {"body_nl": [("GABA bindingsplekken", "GABA-bindingsplekken")]}),
    (
        "Topic",
        {"slug": "catecholamines"},
        {
            "body_nl": [
                ("de calcium toevoer", "de calciumtoevoer"),
                ("het dopamine-signaal gedempt", "het dopaminesignaal gedempt"),
                ("het dopamine signaal versterkt", "het dopaminesignaal versterkt"),
                ("tot onrust gevoelens", "tot onrustgevoelens"),
            ]
        },
    ),
    (
        "Topic",
        {"slug": "short-chain-fatty-acids"},
        {
            "title_nl": SHORT_CHAIN,
            "body_nl": [*SHORT_CHAIN, ("- (Neuro)immuun functie", "- (Neuro)immuunfunctie")],
        },
    ),
    (
        "Topic",
        {"slug": "integrated-approach"},
        {"body_nl": [("mindfulness verbeteren het herstel", "mindfulness verbetert het herstel")]},
    ),
    (
        "Topic",
        {"slug": "adaptogens"},
        {"body_nl": [("binding aan GABA receptoren", "binding aan GABA-receptoren")]},
    ),
    (
        "MedicineClass",
        {"slug": "mao-inhibitors"},
        {"description_nl": [("Monoamine-oxidase remmers.", "Monoamineoxidaseremmers.")]},
    ),
    ("MedicineClass", {"slug": "acetylcholine-metabolism"}, {"description_nl": ACETYLCHOLINE}),
    *(
        (
            "Interaction",
            {"nutrient__slug": nutrient, "target": "medicine_class", "medicine_class__slug": cls},
            {"advice_nl": pairs},
        )
        for nutrient, cls, pairs in [
            ("ashwagandha", "sedatives", IMMUNOSUPPRESSANTS),
            ("ashwagandha", "immunosuppressants", IMMUNOSUPPRESSANTS),
            ("ashwagandha", "thyroid-hormones", IMMUNOSUPPRESSANTS),
            ("bacopa", "acetylcholine-metabolism", ACETYLCHOLINE),
            ("mushrooms", "immunosuppressants", IMMUNOSUPPRESSANTS),
            ("mushrooms", "blood-thinners", IMMUNOSUPPRESSANTS),
            ("mushrooms", "blood-glucose-lowering", LOWERING),
            ("mushrooms", "blood-pressure-lowering", LOWERING),
            (
                "tryptophan",
                "mao-inhibitors",
                [("monoamine-oxidase remmers", "monoamineoxidaseremmers")],
            ),
        ]
    ),
    (
        "NutrientForm",
        {"nutrient__slug": "magnesium", "slug": "taurate"},
        {"application_nl": [("het hart- en de bloedvaten", "het hart en de bloedvaten")]},
    ),
    (
        "EvidenceSummary",
        {"nutrient__slug": "ashwagandha", "design": "rct"},
        {"dose_nl": [("300 mg Ashwagandha", "300 mg ashwagandha")]},
    ),
    (
        "EvidenceOutcome",
        {"summary__nutrient__slug": "ashwagandha", "summary__design": "rct"},
        {
            "measure_nl": [
                ("Alle stress-schalen, waaronder DASS", "Alle stressschalen, waaronder DASS"),
                ("Angst-schaal", "Angstschaal"),
                ("Stress-schaal", "Stressschaal"),
            ],
            "result_nl": [
                (
                    "Significante sterkere daling van alle stress-schalen waaronder DASS "
                    "(Depressie, Angst, Stress Schaal) t.o.v. placebo.",
                    "Significant sterkere daling op alle stressschalen, waaronder de DASS "
                    "(Depressie-, Angst- en Stressschaal), t.o.v. placebo.",
                ),
                ("in Ashwagandha groep", "in ashwagandhagroep"),
                ("Angst-schaal", "Angstschaal"),
                ("Stress-schaal", "Stressschaal"),
            ],
        },
    ),
    (
        "EvidenceSummary",
        {"nutrient__slug__in": ["prebiotics", "probiotics"], "design": "review"},
        {"summary_nl": REVIEW},
    ),
]

# Where a corrected object says so: a closing paragraph in both languages (so that the
# Dutch and English texts keep their paragraphs in step), or after the place in the
# source. Medicine classes are not marked: their descriptions are the editors' own text.
NOTE_FIELDS = {
    "Nutrient": ["description_nl", "description_en"],
    "Topic": ["body_nl", "body_en"],
    "Interaction": ["source_location"],
    "NutrientForm": ["source_location"],
    "EvidenceSummary": ["source_location"],
}

# slug: ((first Dutch name, first English name), (Dutch name, English name))
INDICATION_NAMES = {
    "food-hypersensitivities": (
        ("Voedselovergevoeligheden", "Food hypersensitivities"),
        ("Voedselovergevoeligheden als oorzaak", "Food hypersensitivities as a cause"),
    ),
    "food-hypersensitivity-complaints": (
        ("Voedselovergevoeligheden", "Food hypersensitivities"),
        ("Voedselovergevoeligheden als gevolg", "Food hypersensitivities as a result"),
    ),
}

# ATC code: (English name, Dutch name)
DUTCH_NAMES = {"A02BC01": ("omeprazole", "omeprazol")}


def correct(apps, schema_editor):
    _correct_spelling(apps, forward=True)
    _rename_indications(apps, forward=True)
    _use_dutch_names(apps, forward=True)


def uncorrect(apps, schema_editor):
    _correct_spelling(apps, forward=False)
    _rename_indications(apps, forward=False)
    _use_dutch_names(apps, forward=False)


def _correct_spelling(apps, *, forward: bool) -> None:
    for model_name, lookup, fields in CORRECTIONS:
        for obj in apps.get_model("gutbrain", model_name).objects.filter(**lookup):
            if not _rewrite(obj, fields, forward=forward):
                continue
            obj.save(update_fields=list(fields))
            noted = obj.summary if model_name == "EvidenceOutcome" else obj
            noted_fields = [
                field
                for field in NOTE_FIELDS.get(noted._meta.object_name, [])
                if _note(noted, field, forward=forward)
            ]
            if noted_fields:
                noted.save(update_fields=noted_fields)


def _rewrite(obj, fields: dict[str, list[tuple[str, str]]], *, forward: bool) -> bool:
    """Whether any wording of `fields` was changed."""
    changed = False
    for field, pairs in fields.items():
        text = getattr(obj, field)
        for old, new in pairs:
            before, after = (old, new) if forward else (new, old)
            if before in text:
                text = text.replace(before, after)
                changed = True
        setattr(obj, field, text)
    return changed


def _note(obj, field: str, *, forward: bool) -> bool:
    """Adds (or removes) the note that spelling was corrected; whether it did."""
    text = getattr(obj, field)
    if field == "source_location":
        note = SOURCE_NOTE
    else:
        note = f"\n\n{NOTE_EN if field.endswith('_en') else NOTE_NL}"
    if forward:
        noted = text + note
        too_long = field == "source_location" and len(noted) > SOURCE_LOCATION_MAX_LENGTH
        if note in text or too_long:
            return False
    else:
        if not text.endswith(note):
            return False
        noted = text.removesuffix(note)
    setattr(obj, field, noted)
    return True


def _rename_indications(apps, *, forward: bool) -> None:
    Indication = apps.get_model("gutbrain", "Indication")
    for slug, (first, named) in INDICATION_NAMES.items():
        old, new = (first, named) if forward else (named, first)
        Indication.objects.filter(slug=slug, name_nl=old[0]).update(name_nl=new[0])
        Indication.objects.filter(slug=slug, name_en=old[1]).update(name_en=new[1])


def _use_dutch_names(apps, *, forward: bool) -> None:
    Medicine = apps.get_model("gutbrain", "Medicine")
    for code, (english, dutch) in DUTCH_NAMES.items():
        old, new = (english, dutch) if forward else (dutch, english)
        Medicine.objects.filter(atc_code=code, name=old).update(name=new)


class Migration(migrations.Migration):
    dependencies = [("gutbrain", "0007_interaction_client_advice")]

    operations = [migrations.RunPython(correct, uncorrect)]
