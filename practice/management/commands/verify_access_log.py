"""Check the access log's hash chain: `manage.py verify_access_log [--anchor FILE]`.

Exits 0 with the number of entries and the newest hash when every entry is numbered one
on from the one before it, follows its hash and matches its own hash (keyed, or plain
SHA-256 for the entries written before the log had a key); otherwise exits 1 naming the
first entry that does not. The chain alone cannot show that entries were removed from its
end, that the log was emptied, or that it was rewritten from the start: `--anchor FILE`
compares it with a head saved earlier by `manage.py access_log_anchor`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practice.accesslog import Anchor, ChainBreak, verify_chain


def read_anchor(path: str) -> Anchor:
    try:
        return Anchor.from_json(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(f"The anchor {path} cannot be read: {exc}.") from None


def broken(chain_break: ChainBreak) -> CommandError:
    where = "" if chain_break.entry_id is None else f" at entry {chain_break.entry_id}"
    return CommandError(f"The access log's chain is broken{where}: {chain_break.reason}.")


class Command(BaseCommand):
    help = (
        "Verify the access log's hash chain, and with --anchor that it still holds the head "
        "saved by access_log_anchor; exits 1 at the first break."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            metavar="FILE",
            help="An anchor written by `manage.py access_log_anchor`, kept outside the database.",
        )

    def handle(self, *args, anchor: str | None = None, **options) -> None:
        saved = read_anchor(anchor) if anchor else None
        report = verify_chain()
        chain_break = report.first_break or (saved.compare(report) if saved else None)
        if chain_break is not None:
            raise broken(chain_break)
        held = f"; it holds the anchor's number {saved.seq} of {saved.anchored_at}" if saved else ""
        self.stdout.write(
            f"The access log's chain is intact: {report.entries} entries, "
            f"newest hash {report.newest_hash}{held}."
        )
