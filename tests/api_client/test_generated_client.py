"""A Python client generated from the live schema runs the practice workflow, as an
integrator's first step would (README, "API").

The schema is fetched from a live server as an integration fetches it (in Dutch, the
default language), openapi-python-client (the version pinned in the dev extra) generates
a package from it with `openapi-python-client.yaml` beside this module, and the package
is imported and used for everything after: a token, nutrients, the interaction check, a
client with a medicine, a consult with lines, its check, a refused and an accepted issue,
the protocol, its PDF, and a change with `If-Match` and a stale one. There is no raw HTTP
after the schema: every request and every answer goes through the generated code, which
raises on any status the schema does not document.
"""

import hashlib
import importlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

import pytest
from pypdf import PdfReader

from tests.conftest import restore_after_flush
from tests.factories import PASSWORD, PracticeMemberFactory, api_token

CONFIG = Path(__file__).with_name("openapi-python-client.yaml")
# The virtualenv's scripts: the generator, and the ruff its post hooks call.
BIN = Path(sys.executable).parent
PACKAGE = "gutbrain_api_client"
REASON = "Fenelzine wordt afgebouwd in overleg met de psychiater."
# Names that would clash with the generated package's own classes and modules.
GENERATOR_NAMES = {"Client", "AuthenticatedClient", "Response", "Unset", "File", "Errors"}


def no_network_command() -> list[str]:
    """A prefix that runs a command in a network namespace of its own (no interface but a
    loopback that is down), or nothing where the system does not allow one."""
    probe = ["unshare", "--user", "--map-root-user", "--net", "true"]
    if shutil.which("unshare") and subprocess.run(probe, capture_output=True).returncode == 0:
        return probe[:-1]
    return []


def fetch_schema(base_url: str, token: str) -> dict:
    request = urllib.request.Request(
        f"{base_url}/api/v1/schema/?format=json",
        headers={"Authorization": f"Token {token}", "Accept-Language": "nl"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Language"] == "nl"
        return json.load(response)


def generate(schema: dict, workdir: Path, offline: list[str]) -> tuple[Path, str]:
    """Generates the package into `workdir`; returns its path and what the generator said."""
    document = workdir / "schema.json"
    document.write_text(json.dumps(schema))
    package = workdir / PACKAGE
    command = [
        *offline,
        str(BIN / "openapi-python-client"),
        "generate",
        "--path",
        str(document),
        "--output-path",
        str(package),
        "--meta",
        "none",
        "--config",
        str(CONFIG),
    ]
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        command, capture_output=True, text=True, env=environment, cwd=workdir, timeout=300
    )
    said = done.stdout + done.stderr
    assert done.returncode == 0, said
    return package, said


def reaches(offline: list[str], port: int) -> bool:
    """Whether a command run with the `offline` prefix can connect to `port` here."""
    probe = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=5)"
    done = subprocess.run([*offline, sys.executable, "-c", probe], capture_output=True)
    return done.returncode == 0


@pytest.fixture
def generated(monkeypatch) -> Iterator[Callable[[Path], ModuleType]]:
    """Imports a generated package; forgets it after the test."""

    def load(package: Path) -> ModuleType:
        monkeypatch.syspath_prepend(str(package.parent))
        return importlib.import_module(PACKAGE)

    yield load
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_rows(django_db_setup, django_db_blocker):
    """Puts back what migrations wrote (the staff groups), and the knowledge base, once
    this module is done: the transactional test empties every table when it ends."""
    yield
    with django_db_blocker.unblock():
        restore_after_flush()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_client_generated_from_the_live_schema_runs_the_whole_workflow(
    live_server, knowledge_base, practitioner, settings, tmp_path, generated
):
    settings.MEDIA_ROOT = tmp_path / "media"
    PracticeMemberFactory(user=practitioner)
    schema = fetch_schema(live_server.url, api_token(practitioner))

    # Generating needs no network, and prints nothing but what it makes: no warning, no
    # skipped post hook (ruff formats the package).
    offline = no_network_command()
    port = int(live_server.url.rsplit(":", 1)[1])
    assert not offline or not reaches(offline, port)
    package, said = generate(schema, tmp_path, offline)
    assert said == f"Generating {package}\n"
    formatted = subprocess.run([BIN / "ruff", "format", "--check", "."], cwd=package)
    assert formatted.returncode == 0

    api = generated(package)
    models = importlib.import_module(f"{PACKAGE}.models")
    types = importlib.import_module(f"{PACKAGE}.types")

    def operation(name: str) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.api.{name}")

    # English class names from the Dutch schema; none clashes with the generator's own.
    assert {"PracticeClient", "KindEnum", "LevelEnum", "ProtocolSnapshotV2"} <= set(models.__all__)
    assert not GENERATOR_NAMES & set(models.__all__)
    assert not {"NutrientsListSoort", "NutrientsListKind"} & set(models.__all__)

    # A token, then everything as the practitioner.
    anonymous = api.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    token = operation("auth.auth_token_create").sync(
        client=anonymous,
        body=models.AuthTokenRequest(username=practitioner.username, password=PASSWORD),
    )
    assert isinstance(token, models.Token)
    assert isinstance(token.expiry, datetime)
    client = api.AuthenticatedClient(
        base_url=live_server.url,
        token=token.token,
        prefix="Token",
        raise_on_unexpected_status=True,
    )

    amino_acids = operation("nutrients.nutrients_list").sync(
        client=client, kind=models.KindEnum.AMINO_ACID
    )
    assert isinstance(amino_acids, models.PaginatedNutrientList)
    assert "tryptophan" in [nutrient.slug for nutrient in amino_acids.results]
    assert amino_acids.next_ is None

    check = operation("interaction_check.interaction_check").sync(
        client=client,
        body=models.InteractionCheckRequest(nutrients=["tryptophan"], atc_codes=["N06AF03"]),
    )
    assert isinstance(check, models.InteractionCheckResult)
    assert check.worst_level == models.LevelEnum.AVOID

    jan = operation("clients.clients_create").sync(
        client=client,
        body=models.PracticeClientRequest(
            first_name="Jan",
            last_name="de Boer",
            date_of_birth=date(1970, 2, 1),
            email="",
            medications=[
                models.MedicationRequest(
                    atc_code="N06AF03", name="Nardil", intake_times=["morning", "21:00"]
                )
            ],
        ),
    )
    assert isinstance(jan, models.PracticeClient)
    assert jan.email == ""
    [medication] = jan.medications
    assert medication.atc_code == "N06AF03"
    assert [str(time) for time in medication.intake_times] == ["morning", "21:00"]

    consult = operation("consults.consults_create").sync(
        client=client,
        body=models.ConsultRequest(
            client=jan.id,
            date=date(2026, 11, 27),
            complaints=["stress"],
            supplements=[
                models.LineRequest(
                    nutrient="magnesium",
                    form="bisglycinate",
                    dose_amount="200",
                    dose_unit=models.DoseUnitEnum.MG,
                    timing=models.TimingEnum.EVENING,
                    duration_weeks=8,
                ),
                models.LineRequest(
                    nutrient="tryptophan", dose_amount="500", dose_unit=models.DoseUnitEnum.MG
                ),
            ],
        ),
    )
    assert isinstance(consult, models.Consult)
    assert [line.nutrient for line in consult.supplements] == ["magnesium", "tryptophan"]
    assert consult.supplements[1].form is None

    consult_check = operation("consults.consults_check_retrieve").sync(id=consult.id, client=client)
    assert isinstance(consult_check, models.ConsultCheck)
    levels = {result.nutrient: result.level for result in consult_check.results}
    assert levels["tryptophan"] == models.LevelEnum.AVOID

    issue = operation("consults.consults_protocols_create")
    refused = issue.sync_detailed(
        id=consult.id,
        client=client,
        body=models.IssueProtocolRequest(
            acknowledgements=[], check_digest=consult_check.check_digest
        ),
    )
    assert refused.status_code == 400
    assert isinstance(refused.parsed, models.IssueProtocolError)
    assert refused.parsed.unacknowledged == ["tryptophan"]

    issued = issue.sync_detailed(
        id=consult.id,
        client=client,
        body=models.IssueProtocolRequest(
            acknowledgements=[models.AcknowledgementRequest(nutrient="tryptophan", reason=REASON)],
            check_digest=consult_check.check_digest,
        ),
    )
    assert issued.status_code == 201
    protocol = issued.parsed
    assert isinstance(protocol, models.Protocol)
    assert isinstance(protocol.issued_at, datetime)
    assert issued.headers["Location"] == protocol.url
    assert protocol.worst_level == models.LevelEnum.AVOID

    detail = operation("protocols.protocols_retrieve").sync(id=protocol.id, client=client)
    assert isinstance(detail, models.ProtocolDetail)
    assert detail.issued_at == protocol.issued_at
    snapshot = detail.snapshot
    assert isinstance(snapshot, models.ProtocolSnapshotV2)
    assert snapshot.client.name == "Jan de Boer"
    assert [line.nutrient for line in snapshot.lines] == ["magnesium", "tryptophan"]
    assert snapshot.medications[0].intake_times == ["morning", "21:00"]
    assert [(a.nutrient, a.reason) for a in snapshot.acknowledgements] == [("tryptophan", REASON)]
    assert snapshot.check.worst_level == "avoid"
    assert snapshot.nutrients["tryptophan"].name_nl == "Tryptofaan"

    pdf = operation("protocols.protocols_pdf_retrieve").sync(id=protocol.id, client=client)
    assert isinstance(pdf, types.File)
    content = pdf.payload.read()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == protocol.pdf_sha256
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    assert "Jan de Boer" in text
    assert REASON in text

    # A change with the ETag as loaded; the same ETag again is stale.
    loaded = operation("consults.consults_retrieve").sync_detailed(id=consult.id, client=client)
    etag = loaded.headers["ETag"]
    change = operation("consults.consults_partial_update")
    changed = change.sync_detailed(
        id=consult.id,
        client=client,
        body=models.PatchedConsultRequest(notes="Over 8 weken evalueren."),
        if_match=etag,
    )
    assert changed.status_code == 200
    assert changed.parsed.notes == "Over 8 weken evalueren."
    assert changed.headers["ETag"] != etag
    stale = change.sync_detailed(
        id=consult.id,
        client=client,
        body=models.PatchedConsultRequest(notes="Een verouderde wijziging."),
        if_match=etag,
    )
    assert stale.status_code == 412
    assert isinstance(stale.parsed, models.Error)
    now = operation("consults.consults_retrieve").sync(id=consult.id, client=client)
    assert now.notes == "Over 8 weken evalueren."


def test_this_machine_can_run_the_generator_without_a_network():
    """The test above proves that generating needs no network only where a network
    namespace can be made: on this project's machines it can, and it cuts the network."""
    if not shutil.which("unshare"):
        pytest.skip("no unshare(1) on this machine")
    assert no_network_command(), "unshare --user --net is refused here"
    with socket.create_server(("127.0.0.1", 0)) as server:
        assert not reaches(no_network_command(), server.getsockname()[1])
        assert reaches([], server.getsockname()[1])
