"""The staff groups. Curators edit the knowledge base; the practice groups get their
permissions with the practice app's models."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["practitioner", "assistant", "curator"]
KNOWLEDGE_MODELS = [
    "reference",
    "nutrient",
    "nutrientform",
    "foodsource",
    "indication",
    "indicationsupport",
    "medicineclass",
    "medicine",
    "interaction",
    "evidencesummary",
    "evidenceoutcome",
    "topic",
    "pathwaystep",
]


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrate; the curator's are needed now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    curator = Group.objects.get(name="curator")
    curator.permissions.set(
        Permission.objects.filter(
            content_type__app_label="gutbrain", content_type__model__in=KNOWLEDGE_MODELS
        )
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("gutbrain", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
