from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from gutbrain.models import Nutrient


class Command(BaseCommand):
    help = (
        "Load fixtures/knowledge_base.json into an empty knowledge base. An existing knowledge "
        "base is left alone so that curators' edits survive a restart; --force reloads it."
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
        with transaction.atomic():
            call_command("loaddata", "knowledge_base", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Knowledge base loaded: {Nutrient.objects.count()} nutrients.")
        )
