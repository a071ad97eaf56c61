import datetime
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from practice.records import RETENTION_YEARS, RetentionDue, retention_due


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--as-of: not a date in the form YYYY-MM-DD: {text!r}") from exc


def _row(due: RetentionDue) -> dict:
    return {
        "client_id": due.client_id,
        "client_number": due.client_number,
        "practitioner": due.practitioner,
        "last_consult": due.last_consult.isoformat() if due.last_consult else None,
        "due": due.due.isoformat(),
    }


class Command(BaseCommand):
    help = (
        f"List the client records whose retention period has ended: kept {RETENTION_YEARS} "
        "years after the last consult (or after the client was added, without a consult) "
        "unless erased on request earlier. Deletes nothing: the treating practitioner erases "
        "a record deliberately, from the client's page or with "
        "POST /api/v1/clients/{id}/erase/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            type=_date,
            default=None,
            help="The day to report on, YYYY-MM-DD (default: today).",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text (a table, the default) or json.",
        )

    def handle(self, *args, **options) -> None:
        as_of = options["as_of"] or timezone.localdate()
        due = retention_due(as_of=as_of)
        if options["format"] == "json":
            report = {
                "as_of": as_of.isoformat(),
                "retention_years": RETENTION_YEARS,
                "due": [_row(d) for d in due],
            }
            self.stdout.write(json.dumps(report, indent=2))
            return
        if not due:
            self.stdout.write(f"No client record's retention period has ended on {as_of}.")
            return
        header = ("client id", "client number", "practitioner", "last consult", "due")
        rows = [
            (
                str(d.client_id),
                d.client_number,
                d.practitioner,
                d.last_consult.isoformat() if d.last_consult else "-",
                d.due.isoformat(),
            )
            for d in due
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write(
            f"{len(due)} client record(s) whose retention period of {RETENTION_YEARS} years "
            f"has ended on {as_of}:"
        )
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            )
