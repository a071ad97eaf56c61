"""`client_ip(request)`: the connection's address, or behind trusted proxies the right-most
X-Forwarded-For address that is not one of them; and `DJANGO_TRUSTED_PROXIES`, parsed
strictly at start-up."""

import ipaddress
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from gutbrain.client_ip import client_ip

ROOT = Path(__file__).resolve().parents[2]


def trust(settings, *networks: str) -> None:
    settings.TRUSTED_PROXIES = tuple(ipaddress.ip_network(n) for n in networks)


def request(remote_addr: str, forwarded_for: str | None = None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_it_is_the_connections_address(settings):
    trust(settings)

    assert client_ip(request("192.0.2.7", "203.0.113.9")) == "192.0.2.7"


def test_behind_a_trusted_proxy_it_is_the_address_the_proxy_saw(settings):
    trust(settings, "10.0.0.2")

    assert client_ip(request("10.0.0.2", "203.0.113.9")) == "203.0.113.9"


def test_what_the_client_wrote_left_of_it_is_ignored(settings):
    trust(settings, "10.0.0.2")

    assert client_ip(request("10.0.0.2", "198.51.100.1, 127.0.0.1, 203.0.113.9")) == "203.0.113.9"


def test_it_skips_every_trusted_proxy_of_a_chain(settings):
    trust(settings, "10.0.0.0/8", "2001:db8::/32")

    chain = "198.51.100.1, 203.0.113.9, 2001:db8::5, 10.1.2.3"

    assert client_ip(request("10.0.0.2", chain)) == "203.0.113.9"


def test_the_header_of_an_untrusted_connection_is_ignored(settings):
    trust(settings, "10.0.0.2")

    assert client_ip(request("192.0.2.7", "203.0.113.9")) == "192.0.2.7"


def test_without_a_header_it_is_the_proxys_address(settings):
    trust(settings, "10.0.0.2")

    assert client_ip(request("10.0.0.2")) == "10.0.0.2"


def test_a_malformed_entry_ends_the_walk_at_the_last_trusted_hop(settings):
    trust(settings, "10.0.0.0/8")

    assert client_ip(request("10.0.0.2", "203.0.113.9, not-an-address, 10.0.0.3")) == "10.0.0.3"


def test_a_chain_of_trusted_proxies_only_gives_the_farthest(settings):
    trust(settings, "10.0.0.0/8")

    assert client_ip(request("10.0.0.2", "10.0.0.4, 10.0.0.3")) == "10.0.0.4"


def test_addresses_come_out_canonical(settings):
    trust(settings, "10.0.0.2")

    assert client_ip(request("::ffff:192.0.2.7")) == "192.0.2.7"
    assert client_ip(request("::ffff:10.0.0.2", " 2001:DB8:0::1 ")) == "2001:db8::1"


def test_a_unix_socket_has_no_address(settings):
    trust(settings)

    assert client_ip(request("")) is None


def read_proxies(value: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_TRUSTED_PROXIES": value,
    }
    code = "from gutbrain import settings as s; print([str(n) for n in s.TRUSTED_PROXIES])"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_setting_takes_addresses_and_networks():
    result = read_proxies("10.0.0.2, 192.168.1.0/24,2001:db8::/32")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['10.0.0.2/32', '192.168.1.0/24', '2001:db8::/32']"


def test_the_setting_is_empty_by_default():
    result = read_proxies("")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "bad", ["proxy.example.nl", "10.0.0.1/8", "10.0.0.2,,10.0.0.3", "10.0.0.300"]
)
def test_a_malformed_entry_stops_start_up(bad):
    result = read_proxies(bad)

    assert result.returncode == 1
    assert "DJANGO_TRUSTED_PROXIES must be comma-separated addresses or networks" in result.stderr
