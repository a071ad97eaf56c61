"""Check the access log's hash chain: `manage.py verify_access_log`.

Exits 0 with the number of entries and the newest hash when every entry follows the one
before it and matches its own hash; otherwise exits non-zero naming the first entry that
does not. Keep the newest hash it prints (in the backup log, say): the chain itself cannot
show that entries were removed from its end since.
"""

from django.core.management.base import BaseCommand, CommandError

from practice.accesslog import verify_chain


class Command(BaseCommand):
    help = "Verify the access log's hash chain; exits non-zero at the first broken entry."

    def handle(self, *args, **options) -> None:
        report = verify_chain()
        if report.first_break is not None:
            broken = report.first_break
            raise CommandError(
                f"The access log's chain is broken at entry {broken.entry_id}: {broken.reason}."
            )
        self.stdout.write(
            f"The access log's chain is intact: {report.entries} entries, "
            f"newest hash {report.newest_hash}."
        )
