"""`manage.py verify_media [--repair]`: do the stored PDF files follow their protocols?

Lists, and with `--repair` fixes:
- fragments: temporary files of an issue that did not commit (killed, or rolled back by
  its caller): removed;
- orphans: files under the protocols' folder that no protocol names: removed;
- missing or damaged files: a protocol whose file is gone or does not match its SHA-256:
  rendered again from its snapshot, checked against that hash and stored.

Exits 1 when it found something it did not repair (everything, without `--repair`; with
it, a file whose rendering no longer gives the issued bytes, or a full disk). The files
are listed before the protocols are read, so a protocol issued meanwhile is never taken
for a missing file's orphan. A fragment of an issue still in flight may be removed; that
protocol's first read then renders its file again. Everything goes through the storage
API, so it checks the local folder and an S3 bucket alike; a storage that cannot be
reached exits 1.
"""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from gutbrain.errors import storage_errors
from practice.models import Protocol
from practice.pdf import files


def _stored_sha256(name: str) -> str | None:
    content = files.stored(name)
    return None if content is None else files.sha256(content)


class Command(BaseCommand):
    help = (
        "Check that every issued protocol has its PDF file with the right checksum and that "
        "no file is left without its protocol; --repair removes fragments and orphans and "
        "renders missing or damaged files again. Exits 1 when something is left unrepaired."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Fix what is found, as the list says."
        )

    def handle(self, *args, repair: bool, **options):
        try:
            self._verify(repair)
        except storage_errors() as exc:
            raise CommandError(
                f"The storage cannot be reached ({exc}); verify again once it can."
            ) from exc

    def _verify(self, repair: bool) -> None:
        on_disk = set(files.stored_names(files.ROOT))
        found = unrepaired = 0

        def report(problem: str, name: str, fixed: bool, how: str) -> None:
            nonlocal found, unrepaired
            found += 1
            unrepaired += not fixed
            outcome = how if fixed else (f"NOT REPAIRED: {how}" if repair else "not repaired")
            self.stdout.write(f"{problem:<9} {name}: {outcome}")

        fragments = sorted(n for n in on_disk if n.endswith(files.FRAGMENT_SUFFIX))
        for name in fragments:
            if repair:
                default_storage.delete(name)
            report("fragment", name, repair, "removed")

        named = set()
        rows = Protocol.objects.order_by("pk").values_list("pk", "pdf", "pdf_sha256")
        for pk, name, expected in rows.iterator(chunk_size=500):
            named.add(name)
            if name in on_disk and _stored_sha256(name) == expected:
                continue
            problem = "missing" if name not in on_disk else "damaged"
            fixed, how = False, ""
            if repair:
                snapshot = Protocol.objects.values_list("snapshot", flat=True).get(pk=pk)
                try:
                    fixed = files.write_repair(name, files.rendered_again(snapshot, expected))
                    how = "rendered again from its snapshot" if fixed else "the disk is full"
                except files.PdfUnrecoverable:
                    how = "its snapshot no longer renders to the issued bytes"
            report(problem, f"{name} (protocol {pk})", fixed, how)

        for name in sorted(on_disk - named - set(fragments)):
            if repair:
                default_storage.delete(name)
            report("orphan", name, repair, "removed")

        summary = f"{len(named)} protocols, {len(on_disk)} files: {found} problems"
        if unrepaired:
            raise CommandError(f"{summary}, {unrepaired} not repaired.")
        self.stdout.write(self.style.SUCCESS(f"{summary}{', all repaired' if found else ''}."))
