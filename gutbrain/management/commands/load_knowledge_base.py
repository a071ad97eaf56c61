import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from gutbrain.models import Nutrient

FIXTURE = Path(settings.FIXTURE_DIRS[0]) / "knowledge_base.json"
# Stored as written here; the history page shows it in the reader's language.
LOADED_FROM_BROCHURE = gettext_noop("Loaded from the brochure")


class Command(BaseCommand):
    help = (
        "Load fixtures/knowledge_base.json into an empty knowledge base. An existing knowledge "
        "base is left alone so that curators' edits survive a restart; --force reloads it. "
        "Every row loaded gets a version in its history, so that a curator can go back to "
        "the brochure's own wording from the admin's history page."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when nutrients exist (overwrites rows with the fixture's keys).",
        )

    def handle(self, *args, force: bool = False, **options):
        if Nutrient.objects.exists() and not force:
            self.stdout.write("Knowledge base already loaded; left as it is.")
            return
        loaded = _fixture_keys(FIXTURE)
        with transaction.atomic():
            existing = {
                model: set(model.objects.filter(pk__in=keys).values_list("pk", flat=True))
                for model, keys in loaded.items()
            }
            loaded_at = timezone.now()
            call_command("loaddata", str(FIXTURE), verbosity=0)
            for model, keys in loaded.items():
                _record_loaded_versions(model, keys, existing[model], loaded_at)
        self.stdout.write(
            self.style.SUCCESS(f"Knowledge base loaded: {Nutrient.objects.count()} nutrients.")
        )


def _fixture_keys(path: Path) -> dict[type[models.Model], list]:
    """The primary keys in the fixture, per model, in the fixture's order."""
    keys: dict[type[models.Model], list] = defaultdict(list)
    for item in json.loads(path.read_text()):
        keys[apps.get_model(item["model"])].append(item["pk"])
    return dict(keys)


def _record_loaded_versions(
    model: type[models.Model], keys: list, existing: set, loaded_at: datetime
) -> None:
    """One version per loaded row in its history: "+" for a new row, "~" for one reloaded.

    `loaddata` saves rows raw, which simple-history leaves out of the history, but sets
    their many-to-many fields as any save does, which gives some rows a version of part of
    their changes. Those make way for one version of the whole row with its references, so
    that the history starts with what the fixture says.
    """
    history = model.history
    pk = model._meta.pk.attname
    partial = history.filter(history_date__gte=loaded_at, **{f"{pk}__in": keys})
    for field in history.model._history_m2m_fields:
        # Not deleted with their version: simple-history ties them without a cascade.
        getattr(history.model, field.name).model.objects.filter(history__in=partial).delete()
    partial.delete()
    rows = list(model.objects.filter(pk__in=keys).order_by("pk"))
    records = []
    for update, group in (
        (False, [row for row in rows if row.pk not in existing]),
        (True, [row for row in rows if row.pk in existing]),
    ):
        created = history.bulk_history_create(
            group,
            update=update,
            default_change_reason=LOADED_FROM_BROCHURE,
            default_date=loaded_at,
        )
        records.extend(created or [])
    # The bulk path leaves out the many-to-many fields simple-history tracks; their
    # versions are written as its own save writes them: each link, tied to the version.
    for field in history.model._history_m2m_fields:
        through = field.remote_field.through
        own = f"{field.m2m_field_name()}_id"
        links = defaultdict(list)
        for link in through.objects.filter(**{f"{own}__in": keys}):
            links[getattr(link, own)].append(link)
        versions = getattr(history.model, field.name).model
        versions.objects.bulk_create(
            versions(
                history=record,
                **{f.attname: getattr(link, f.attname) for f in through._meta.concrete_fields},
            )
            for record in records
            for link in links[getattr(record, pk)]
        )
