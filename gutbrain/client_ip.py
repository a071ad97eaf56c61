"""The address a request comes from: one answer for the API's rate limits, the login rate,
the lockouts (django-axes, `AXES_CLIENT_IP_CALLABLE`) and the access log.

With no trusted proxies (`DJANGO_TRUSTED_PROXIES` empty, the default) it is the address of
the connection, `REMOTE_ADDR`; whatever `X-Forwarded-For` says is the client's own word.
Behind proxies, each proxy appends the address it was connected from to
`X-Forwarded-For`. Reading it from the right, past the trusted proxies, the first address
is the one the outermost trusted proxy saw: the client. Everything further left was
written by the client and could say anything, so it is never read.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A server listening on IPv6 sees IPv4 clients as ::ffff:a.b.c.d.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted_proxy(address: Address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address in canonical form, as the database gives it back; None when
    the connection has no address (a Unix socket)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None or not _is_trusted_proxy(peer):
        return None if peer is None else str(peer)
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            # No trusted proxy writes this: the last trusted hop is all that is known.
            break
        client = address
        if not _is_trusted_proxy(address):
            break
    return str(client)
