"""Fetching the data a call did not carry from the EHR's FHIR server.

Only from the server registered for the EHR (`CdsClient.fhir_server`), only with the
access token the call itself hands over (`fhirAuthorization`), and only when the call
names that same server or none: a URL a request names is never fetched from when it is not
the registered one, so a token holder cannot point the service at another host. Pages of a
search are followed only while they stay on the registered server. Redirects are not
followed (they would carry the token elsewhere). Every answer is read up to
`MAX_RESPONSE_BYTES`, at most `MAX_PAGES` pages a search, and all requests of one call
share one deadline (`settings.CDS_FHIR_TIMEOUT`). Whatever goes wrong is `Unavailable`,
with the reason.
"""

import http.client
import json
import re
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.utils.translation import gettext as _
from fhir.resources.R4B.resource import Resource

from cdshooks.fhirdata import (
    InvalidData,
    Unavailable,
    next_page,
    parse_resource,
    reports_failure,
    resources_of,
)
from gutbrain.api.parsers import MAX_DEPTH, nesting_depth_exceeds

MAX_RESPONSE_BYTES = 2 * 1024 * 1024
MAX_PAGES = 5
READ_CHUNK = 64 * 1024
# A FHIR id (R4: letters, digits, `-` and `.`, up to 64).
FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
# An OAuth bearer token is visible ASCII; anything else could break the header.
BEARER_TOKEN = re.compile(r"[\x21-\x7e]{1,4096}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None  # urllib then raises the 3xx as an HTTPError


_OPENER = urllib.request.build_opener(_NoRedirects)


def fill(template: str, *, patient_id: str) -> str:
    """A prefetch template as a relative FHIR search URL for one patient."""
    path, _sep, query = template.partition("?")
    params = [
        (name, value.replace("{{context.patientId}}", patient_id))
        for name, value in parse_qsl(query, keep_blank_values=True)
    ]
    return f"{path}?{urlencode(params)}"


class FhirServer:
    """The registered FHIR server of an EHR, with one call's access token and deadline."""

    def __init__(self, base_url: str, access_token: str, *, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.access_token = access_token
        self.deadline = time.monotonic() + timeout
        self.used = False

    def owns(self, url: str) -> bool:
        """Whether `url` is on this server, below its base URL."""
        base, other = urlsplit(self.base_url), urlsplit(url)
        return (
            (other.scheme, other.netloc) == (base.scheme, base.netloc)
            and (other.path + "/").startswith(base.path.rstrip("/") + "/")
            and ".." not in other.path.split("/")
            and not other.username
        )

    def search(self, query: str) -> list[Resource]:
        """The resources of a search (`query` relative to the base URL), every page."""
        return self.pages(f"{self.base_url}/{query}")

    def pages(self, url: str) -> list[Resource]:
        """The resources of the page at `url` (on this server) and of the pages after it."""
        found: list[Resource] = []
        for _page in range(MAX_PAGES):
            if not self.owns(url):
                raise Unavailable(_("a page of the search is not on the registered server"))
            try:
                bundle = parse_resource(self._get(url), "bundle")
            except InvalidData as exc:
                raise Unavailable(exc.message) from None
            resources = resources_of(bundle)
            if reports_failure(resources):
                raise Unavailable(_("the FHIR server reported an error"))
            found.extend(resources)
            url = next_page(bundle)
            if url is None:
                return found
        raise Unavailable(_("the search has more than %(pages)d pages") % {"pages": MAX_PAGES})

    def _get(self, url: str) -> Any:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise Unavailable(_("the FHIR server did not answer in time"))
        self.used = True
        request = urllib.request.Request(
            url,
            headers={
                "Accept": "application/fhir+json",
                "Authorization": f"Bearer {self.access_token}",
            },
        )
        try:
            with _OPENER.open(request, timeout=remaining) as response:
                body = self._read(response)
        except urllib.error.HTTPError as exc:
            raise Unavailable(
                _("the FHIR server answered %(status)d") % {"status": exc.code}
            ) from None
        except TimeoutError:
            raise Unavailable(_("the FHIR server did not answer in time")) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError):
            raise Unavailable(_("the FHIR server could not be reached")) from None
        try:
            data = json.loads(body)
            too_deep = nesting_depth_exceeds(data, MAX_DEPTH)
        except (ValueError, RecursionError):
            raise Unavailable(_("the FHIR server's answer is not JSON")) from None
        if too_deep:
            raise Unavailable(_("the FHIR server's answer nests too deep"))
        return data

    def _read(self, response: http.client.HTTPResponse) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(READ_CHUNK):
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:
                raise Unavailable(
                    _("the FHIR server's answer is larger than %(size)d bytes")
                    % {"size": MAX_RESPONSE_BYTES}
                )
            if time.monotonic() > self.deadline:
                raise Unavailable(_("the FHIR server did not answer in time"))
            chunks.append(chunk)
        return b"".join(chunks)
