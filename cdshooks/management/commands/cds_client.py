"""Register the EHRs that may call the CDS Hooks services:

    manage.py cds_client add NAME --issuer ISS --public-key FILE.pem [--fhir-server URL]
                                  [--algorithms RS384,ES384]
    manage.py cds_client list
    manage.py cds_client remove ISS

`add` checks the key as the admin does (`CdsClient.clean`) and refuses an issuer that is
registered already. `remove` ends the EHR's access at once; its logged calls stay.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cdshooks.auth import service_url
from cdshooks.models import MAX_PEM_LENGTH, CdsClient
from cdshooks.services import SERVICES


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Register, list or remove the EHRs that may call the CDS Hooks services."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        add = commands.add_parser("add", help="Register an EHR.")
        add.add_argument("name", help="The EHR's name, as staff know it.")
        add.add_argument("--issuer", required=True, help="The `iss` of the EHR's tokens.")
        add.add_argument(
            "--public-key",
            required=True,
            metavar="FILE.pem",
            help="The EHR's public key in PEM form (RSA, or EC on P-256/P-384/P-521).",
        )
        add.add_argument(
            "--fhir-server",
            default="",
            metavar="URL",
            help="The base URL of the EHR's FHIR server, to fetch what a call does not carry.",
        )
        add.add_argument(
            "--algorithms",
            default="",
            help="Comma-separated, e.g. RS384. Default: RS384 for RSA, ES384 for P-384.",
        )
        commands.add_parser("list", help="List the registered EHRs.")
        remove = commands.add_parser("remove", help="Remove an EHR: its calls are refused.")
        remove.add_argument("issuer", help="The `iss` of the EHR's tokens.")

    def handle(self, *args, command: str, **options) -> None:
        getattr(self, f"_{command}")(**options)

    def _add(self, *, name: str, issuer: str, public_key: str, fhir_server: str, **options):
        path = Path(public_key)
        try:
            if path.stat().st_size > MAX_PEM_LENGTH:
                raise CommandError(f"{path} is too large for a public key.")
            pem = path.read_text(encoding="ascii")
        except (OSError, UnicodeError) as exc:
            raise CommandError(f"Cannot read the public key from {path}: {exc}") from None
        if CdsClient.objects.filter(issuer=issuer).exists():
            raise CommandError(f"An EHR with the issuer {issuer} is registered already.")
        client = CdsClient(
            name=name,
            issuer=issuer,
            public_key=pem,
            fhir_server=fhir_server,
            algorithms=options["algorithms"],
        )
        try:
            client.save()
        except ValidationError as exc:
            raise CommandError(f"Not registered: {_messages(exc)}") from None
        self.stdout.write(f"Registered {client} (algorithms {client.algorithms}).")
        self.stdout.write("Its tokens' aud must be the URL it calls:")
        for service_id in SERVICES:
            self.stdout.write(f"  {service_url(service_id)}")

    def _list(self, **options) -> None:
        for client in CdsClient.objects.order_by("name"):
            state = "active" if client.is_active else "inactive"
            server = client.fhir_server or "no FHIR server"
            self.stdout.write(
                f"{client.name}\t{client.issuer}\t{client.algorithms}\t{server}\t{state}"
            )

    def _remove(self, *, issuer: str, **options) -> None:
        deleted, _rows = CdsClient.objects.filter(issuer=issuer).delete()
        if not deleted:
            raise CommandError(f"No EHR with the issuer {issuer} is registered.")
        self.stdout.write(f"Removed the EHR with the issuer {issuer}; its calls are refused.")
