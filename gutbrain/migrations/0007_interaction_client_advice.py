"""A curated client text per interaction row (`client_advice_nl`, `client_advice_en`).

The handout gives the client one plain instruction per finding, of the same strength as
the brochure's advice, instead of the brochure's sentence. This adds the two fields and
fills them, for a database that already holds the knowledge base, with the texts
`fixtures/knowledge_base.json` holds. A row is matched by nutrient slug, target, medicine
class slug and level: a row a curator added, or whose level a curator changed, stays
empty, for a curator to write (the admin and the import ask for it when the row is next
changed). A fresh install has no knowledge base yet when this runs (`load_knowledge_base`
loads the fixture after migrating): nothing is filled then.

The reverse removes the fields, and with them the texts.
"""

from django.db import migrations, models

import gutbrain.models

MONITOR_NL = "Let op of uw medicijn anders werkt en overleg met uw arts."
MONITOR_EN = "Watch whether your medicine works differently and talk to your doctor."
CONSULT = (
    "Overleg eerst met uw arts voordat u dit gaat gebruiken naast {medicines}.",
    "Talk to your doctor before you start using this alongside {medicines}.",
)
PREGNANCY_AVOID = (
    "Gebruik dit niet als u zwanger bent of borstvoeding geeft.",
    "Do not use this if you are pregnant or breastfeeding.",
)
NONE_KNOWN = (
    "Er is geen wisselwerking met medicijnen bekend.",
    "No interactions with medicines are known.",
)
SEDATIVES = (
    f"U gebruikt ook een kalmeringsmiddel. {MONITOR_NL}",
    f"You also take a sedative. {MONITOR_EN}",
)
BLOOD_PRESSURE_MONITOR = (
    f"U gebruikt ook een medicijn dat uw bloeddruk verlaagt. {MONITOR_NL}",
    f"You also take a medicine that lowers your blood pressure. {MONITOR_EN}",
)

# (nutrient slug, target, medicine class slug or None): (level, Dutch, English)
CLIENT_ADVICE = {
    ("ashwagandha", "medicine_class", "sedatives"): ("monitor", *SEDATIVES),
    ("ashwagandha", "medicine_class", "immunosuppressants"): (
        "monitor",
        f"U gebruikt ook een medicijn dat uw afweer onderdrukt. {MONITOR_NL}",
        f"You also take a medicine that suppresses your immune system. {MONITOR_EN}",
    ),
    ("ashwagandha", "medicine_class", "thyroid-hormones"): (
        "monitor",
        f"U gebruikt ook een medicijn voor uw schildklier. {MONITOR_NL}",
        f"You also take a medicine for your thyroid. {MONITOR_EN}",
    ),
    ("bacopa", "medicine_class", "acetylcholine-metabolism"): ("consult", *CONSULT),
    ("lemon-balm", "medicine_class", "sedatives"): ("monitor", *SEDATIVES),
    ("gaba", "medicine_class", "sedatives"): ("monitor", *SEDATIVES),
    ("glutamine", "medicine_class", "anti-epileptics"): ("consult", *CONSULT),
    ("magnesium", "any_medicine", None): (
        "separate_intake",
        "Neem magnesium niet tegelijk met {medicines}: neem het 2 uur vóór of 4 uur ná uw "
        "medicijnen in.",
        "Do not take magnesium at the same time as {medicines}: take it 2 hours before or "
        "4 hours after your medicines.",
    ),
    ("mushrooms", "medicine_class", "immunosuppressants"): ("consult", *CONSULT),
    ("mushrooms", "medicine_class", "blood-thinners"): ("consult", *CONSULT),
    ("mushrooms", "medicine_class", "blood-glucose-lowering"): (
        "monitor",
        "U gebruikt ook een medicijn dat uw bloedsuiker verlaagt. Laat uw bloedsuiker "
        "controleren en overleg met uw arts.",
        "You also take a medicine that lowers your blood sugar. Have your blood sugar checked "
        "and talk to your doctor.",
    ),
    ("mushrooms", "medicine_class", "blood-pressure-lowering"): (
        "monitor",
        "U gebruikt ook een medicijn dat uw bloeddruk verlaagt. Laat uw bloeddruk controleren "
        "en overleg met uw arts.",
        "You also take a medicine that lowers your blood pressure. Have your blood pressure "
        "checked and talk to your doctor.",
    ),
    ("prebiotics", "any_medicine", None): ("none_known", *NONE_KNOWN),
    ("probiotics", "any_medicine", None): ("none_known", *NONE_KNOWN),
    ("rhodiola", "medicine_class", "psychotropic-drugs"): (
        "monitor",
        f"U gebruikt ook een medicijn dat werkt op uw stemming, gedrag, geheugen of slaap. "
        f"{MONITOR_NL}",
        f"You also take a medicine that acts on your mood, behaviour, memory or sleep. "
        f"{MONITOR_EN}",
    ),
    ("saffron", "any_medicine", None): ("none_known", *NONE_KNOWN),
    ("theanine", "medicine_class", "blood-pressure-lowering"): (
        "monitor",
        *BLOOD_PRESSURE_MONITOR,
    ),
    ("tryptophan", "medicine_class", "mao-inhibitors"): (
        "avoid",
        "Gebruik dit niet samen met {medicines}.",
        "Do not use this together with {medicines}.",
    ),
    ("tryptophan", "any_medicine", None): ("consult", *CONSULT),
    ("valerian", "any_medicine", None): ("consult", *CONSULT),
}
for _slug in [
    "ashwagandha",
    "bacopa",
    "lemon-balm",
    "gaba",
    "glutamine",
    "mushrooms",
    "rhodiola",
    "saffron",
    "theanine",
    "tryptophan",
    "valerian",
]:
    CLIENT_ADVICE[(_slug, "pregnancy", None)] = ("avoid", *PREGNANCY_AVOID)
    CLIENT_ADVICE[(_slug, "breastfeeding", None)] = ("avoid", *PREGNANCY_AVOID)


def fill(apps, schema_editor):
    Interaction = apps.get_model("gutbrain", "Interaction")
    for (nutrient, target, medicine_class), (level, dutch, english) in CLIENT_ADVICE.items():
        if medicine_class is None:
            row_of_class = {"medicine_class__isnull": True}
        else:
            row_of_class = {"medicine_class__slug": medicine_class}
        Interaction.objects.filter(
            nutrient__slug=nutrient,
            target=target,
            **row_of_class,
            level=level,
            client_advice_nl="",
            client_advice_en="",
        ).update(client_advice_nl=dutch, client_advice_en=english)


FIELDS = {
    "client_advice_nl": models.TextField(
        blank=True,
        help_text=(
            "What the client's handout says about this row: one instruction to the client "
            "('u'), in plain Dutch (B1), exactly as strong as the advice above: never weaker, "
            "never stronger. No ATC codes, no class names or jargon. Where the text names the "
            "client's medicines, write {medicines}: the handout puts their names there "
            "('oxazepam en diazepam'), or 'uw medicijnen' when it does not know them, so do not "
            "write 'uw' before it. Only rows for medicines may use it. Required for every row "
            "added or changed."
        ),
        validators=[gutbrain.models.validate_client_advice],
        verbose_name="client text (Dutch)",
    ),
    "client_advice_en": models.TextField(
        blank=True,
        help_text=(
            "The client text in English, written like the Dutch one; {medicines} works the "
            "same way. Required for every row added or changed."
        ),
        validators=[gutbrain.models.validate_client_advice],
        verbose_name="client text (English)",
    ),
}


class Migration(migrations.Migration):
    dependencies = [("gutbrain", "0006_none_known_for_pregnancy")]

    operations = [
        *(
            migrations.AddField(model_name=model, name=name, field=field.clone())
            for model in ("interaction", "historicalinteraction")
            for name, field in FIELDS.items()
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
