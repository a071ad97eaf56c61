"""Save the head of the access log outside the database: `manage.py access_log_anchor
[--output FILE]`.

Writes the newest entry's number, hash and time as JSON, to FILE or standard output, once
the chain verifies; `verify_access_log --anchor FILE` later shows whether the log still
holds that entry with that hash. An existing FILE is first compared with the log and kept
as it is when the log no longer holds it, so that a cron job that moves the anchor on
(README, "The access log") cannot adopt a log that was emptied or rewritten meanwhile.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practice.accesslog import Anchor, verify_chain
from practice.management.commands.verify_access_log import broken, read_anchor


def write_atomically(path: Path, text: str) -> None:
    """A reader never finds the file half written."""
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as stream:
        stream.write(text)
    os.replace(stream.name, path)


class Command(BaseCommand):
    help = (
        "Write the access log's head (number, hash, time) as JSON, to keep outside the "
        "database for `verify_access_log --anchor`. Refuses when the chain is broken or no "
        "longer holds the anchor already in FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="Write the anchor here (replacing an earlier one) instead of standard output.",
        )

    def handle(self, *args, output: str | None = None, **options) -> None:
        path = Path(output) if output else None
        earlier = read_anchor(output) if path is not None and path.exists() else None
        report = verify_chain()
        chain_break = report.first_break or (earlier.compare(report) if earlier else None)
        if chain_break is not None:
            raise CommandError(f"{broken(chain_break)} Nothing was written.")
        anchor = Anchor.of_head(report)
        if path is None:
            self.stdout.write(anchor.to_json(), ending="")
            return
        write_atomically(path, anchor.to_json())
        self.stdout.write(
            f"Anchored the access log at number {anchor.seq} (hash {anchor.hash}) in {path}."
        )
