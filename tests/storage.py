"""The two storages issued PDFs can live in, for tests that run over both: the local
folder (MEDIA_ROOT, the default) and a bucket of moto's S3 server on loopback (a real HTTP
endpoint, as a deployment with DJANGO_MEDIA_S3_BUCKET meets it).

The storage under test is selected as production selects it: the DJANGO_MEDIA_S3_*
variables are set and `gutbrain.settings._media_storage()` builds `STORAGES["default"]`
from them. Assigning `settings.STORAGES` (pytest-django's `settings`, an
`override_settings`) sends `setting_changed`, and Django's own receiver
(`django.test.signals.storages_changed`) then forgets the cached backends and empties
`default_storage` (`_wrapped = empty`), so the next use builds the new one; the test's
end puts the old one back the same way. Nothing private is reset by hand.

`LocalFiles` and `BucketFiles` look at what is stored without going through Django's
storage API (the folder with pathlib, the bucket with boto3's own client), so a test sees
what the storage holds, not what the code under test believes it holds.
"""

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REGION = "us-east-1"
# Each xdist worker its own loopback port: gw0 8661, gw1 8662, ...
BASE_PORT = 8661


def _worker_offset() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)


class LocalFiles:
    """The files under MEDIA_ROOT."""

    kind = "filesystem"

    def __init__(self, root: Path):
        self.root = root

    def names(self) -> list[str]:
        if not self.root.exists():
            return []
        return sorted(str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file())

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()

    def write(self, name: str, content: bytes) -> None:
        (self.root / name).parent.mkdir(parents=True, exist_ok=True)
        (self.root / name).write_bytes(content)

    def delete(self, name: str) -> None:
        (self.root / name).unlink()


class BucketFiles:
    """The objects of one bucket, read with boto3's own client."""

    kind = "s3"

    def __init__(self, client, bucket: str):
        self.client = client
        self.bucket = bucket

    def names(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(entry["Key"] for page in pages for entry in page.get("Contents", ()))

    def read(self, name: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=name)["Body"].read()

    def write(self, name: str, content: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=name, Body=content)

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=name)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's S3 server: the one `.ci/run` started for the whole run when
    `GUTBRAIN_TEST_S3_ENDPOINT` names it (each test's bucket has a name of its own, so the
    xdist workers share it safely), else one in a thread of this process, on a loopback
    port."""
    shared = os.environ.get("GUTBRAIN_TEST_S3_ENDPOINT", "").strip().rstrip("/")
    if shared:
        yield shared
        return
    try:
        import moto.server as server_module
    except ImportError:
        why = "moto[server] is not installed (the dev extra installs it): the S3 tests need it"
        if os.environ.get("CI"):  # CI installs the dev extra: never skip them silently there
            pytest.fail(why)
        pytest.skip(why)
    server = server_module.ThreadedMotoServer(
        ip_address="127.0.0.1", port=BASE_PORT + _worker_offset(), verbose=False
    )
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def use_s3(monkeypatch, settings, *, endpoint: str, bucket: str) -> None:
    """Select the S3 storage as production does: from the environment."""
    from gutbrain.settings import _media_storage

    for name, value in {
        "DJANGO_MEDIA_S3_BUCKET": bucket,
        "DJANGO_MEDIA_S3_ENDPOINT_URL": endpoint,
        "DJANGO_MEDIA_S3_ACCESS_KEY_ID": "test-key",
        "DJANGO_MEDIA_S3_SECRET_ACCESS_KEY": "test-secret",
        "DJANGO_MEDIA_S3_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": _media_storage()}


@pytest.fixture
def s3_media(moto_endpoint, monkeypatch, settings) -> BucketFiles:
    """A fresh, empty bucket on moto's server as the default storage."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name=REGION,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    bucket = f"gutbrain-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    use_s3(monkeypatch, settings, endpoint=moto_endpoint, bucket=bucket)
    return BucketFiles(client, bucket)


@pytest.fixture
def local_media(settings, tmp_path) -> LocalFiles:
    settings.MEDIA_ROOT = tmp_path / "media"
    return LocalFiles(Path(settings.MEDIA_ROOT))


STORAGES = ["filesystem", "s3"]


def media_for(request: pytest.FixtureRequest) -> LocalFiles | BucketFiles:
    """For a fixture parametrised over `STORAGES`: the files of the storage in use."""
    if request.param == "s3":
        return request.getfixturevalue("s3_media")
    return request.getfixturevalue("local_media")


@pytest.fixture
def dead_endpoint() -> Iterator[str]:
    """A loopback address where no S3 server answers: a port bound but not listening,
    so every connection is refused, as while the storage is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", BASE_PORT + 4 + _worker_offset()))
        host, port = sock.getsockname()
        yield f"http://{host}:{port}"
