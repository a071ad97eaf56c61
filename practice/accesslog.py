"""The access log of client records (NEN 7513): who read, changed, exported or printed
which record, or tried to, when and from where.

Each view says what it logs with one call: `record(request, action=..., obj=...)` once the
access succeeded, and `refusal(request, action)` handed to the `get_*_for_user` helpers of
`practice.access`, which call it before answering 404. A refused attempt is logged as
`refused` when the record exists (with its client, so the treating practitioner sees it)
and as `not_found` when it does not.

The log is a hash chain: an entry's `hash` is the SHA-256 of the previous entry's hash
followed by the entry's canonical content (`canonical_content`), the first entry following
`GENESIS_HASH`. Appending reads the newest hash and inserts, two queries; `previous_hash`
is unique, so two writers that read the same newest entry cannot both append to it: the
loser retries on the new newest entry, and the chain never forks. `verify_chain` walks
it (`manage.py verify_access_log`).

The consult page's live check posts the form on every change; `record_live_check` logs
one read per access, not one per keystroke (see its docstring).
"""

import hashlib
import ipaddress
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from practice.access import RefusalHook
from practice.models import (
    AccessAction,
    AccessChannel,
    AccessLogEntry,
    AccessOutcome,
    AccessRecordType,
    Client,
    Consult,
    Protocol,
)

GENESIS_HASH = "0" * 64
APPEND_ATTEMPTS = 20
CANONICAL_FIELDS = (
    "at",
    "user_id",
    "username",
    "action",
    "outcome",
    "channel",
    "record_type",
    "record_id",
    "client_id",
    "ip_address",
    "user_agent",
    "path",
)
RECORD_TYPES: dict[type[Model], str] = {
    Client: AccessRecordType.CLIENT,
    Consult: AccessRecordType.CONSULT,
    Protocol: AccessRecordType.PROTOCOL,
}
# A live check of a consult this soon after a logged read of it by the same user is part
# of that access: `record_live_check`.
LIVE_CHECK_WINDOW = timedelta(minutes=5)
# How to find the client of each record type from its primary key.
CLIENT_LOOKUPS: dict[type[Model], str] = {
    Client: "pk",
    Consult: "client_id",
    Protocol: "consult__client_id",
}


def canonical_content(values: dict) -> str:
    """The entry's content as the hash covers it: JSON with sorted keys, the time in UTC
    to the microsecond. `values` holds the `CANONICAL_FIELDS` as stored."""
    content = {name: values[name] for name in CANONICAL_FIELDS}
    content["at"] = values["at"].astimezone(UTC).isoformat()
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(previous_hash: str, values: dict) -> str:
    content = previous_hash + canonical_content(values)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _ip_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR in its canonical form, as the database gives it back; None when it is
    not an address (a Unix socket)."""
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


def _channel(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    namespaces = match.namespaces if match else []
    if "admin" in namespaces:
        return AccessChannel.ADMIN
    if hasattr(request, "_request") or any(n in ("api", "practice_api") for n in namespaces):
        return AccessChannel.API
    return AccessChannel.WEB


def client_id_of(obj: Model) -> int:
    """The client a client, consult or protocol (with its consult selected) belongs to."""
    if isinstance(obj, Client):
        return obj.pk
    if isinstance(obj, Consult):
        return obj.client_id
    return obj.consult.client_id  # callers select_related("consult")


def _in_transaction() -> bool:
    # The test case's own atomic blocks do not count (as for Django's `durable` check):
    # under them a request runs as it does in production, in autocommit.
    return any(not block._from_testcase for block in connection.atomic_blocks)


def _append(entry: AccessLogEntry) -> AccessLogEntry:
    values = {name: getattr(entry, name) for name in CANONICAL_FIELDS}
    for _attempt in range(APPEND_ATTEMPTS):
        newest = AccessLogEntry.objects.order_by("-pk").values_list("hash", flat=True).first()
        entry.previous_hash = newest or GENESIS_HASH
        entry.hash = chain_hash(entry.previous_hash, values)
        try:
            if _in_transaction():
                with transaction.atomic():  # a savepoint, so that a lost race can retry
                    entry.save(force_insert=True)
            else:
                entry.save(force_insert=True)
        except IntegrityError:
            entry.pk = None  # another writer appended first: chain onto theirs
            continue
        return entry
    raise IntegrityError("Could not append to the access log: too many concurrent writers.")


def record(
    request: HttpRequest,
    *,
    action: str,
    obj: Model | None = None,
    record_type: str | None = None,
    record_id: object = None,
    client_id: int | None = None,
    outcome: str = AccessOutcome.ALLOWED,
) -> AccessLogEntry:
    """Log one access by the request's user to `obj` (a client, consult or protocol; for a
    protocol, with its consult selected), or to the record named by `record_type`,
    `record_id` and `client_id`."""
    if obj is not None:
        record_type = record_type or RECORD_TYPES[type(obj)]
        record_id = obj.pk
        client_id = client_id_of(obj)
    user = request.user
    authenticated = user.is_authenticated
    entry = AccessLogEntry(
        user_id=user.pk if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action,
        outcome=outcome,
        channel=_channel(request),
        record_type=record_type,
        record_id="" if record_id is None else _text(str(record_id), 40),
        client_id=client_id,
        ip_address=_ip_address(request),
        user_agent=_text(request.META.get("HTTP_USER_AGENT", ""), 300),
        path=_text(request.path, 300),
    )
    return _append(entry)


def record_live_check(request: HttpRequest, *, consult: Consult) -> AccessLogEntry | None:
    """Log the consult page's live check of `consult` as a read, unless the same user's
    read of that consult was logged less than `LIVE_CHECK_WINDOW` ago; None then.

    NEN 7513 asks for each access, not for each refresh: the page posts its form to the
    check on every change, and the opening of the page (or the last check logged) already
    recorded that this user has the consult open. A check after a longer pause is logged
    again. Costs one query when nothing is written. The API's `GET …/check/` is not
    covered: an integration's call is an access of its own, logged every time.
    """
    recent = AccessLogEntry.objects.filter(
        client_id=consult.client_id,  # the log's index
        record_type=AccessRecordType.CONSULT,
        record_id=str(consult.pk),
        user_id=request.user.pk,
        action=AccessAction.READ,
        outcome=AccessOutcome.ALLOWED,
        at__gt=timezone.now() - LIVE_CHECK_WINDOW,
    )
    if recent.exists():
        return None
    return record(request, action=AccessAction.READ, obj=consult)


def _text(value: str, length: int) -> str:
    """`value` as stored: cut to the column's length, a NUL (which PostgreSQL's text
    refuses) written as U+FFFD, so that even a hostile URL is logged, not a 500."""
    return value.replace("\x00", "\ufffd")[:length]


def refusal(request: HttpRequest, action: str, record_type: str | None = None) -> RefusalHook:
    """A hook for the `get_*_for_user` helpers: logs the refused attempt, `refused` with
    the record's client when the record exists, `not_found` when it does not."""

    def log(model: type[Model], pk: object) -> None:
        try:
            found = model._default_manager.filter(pk=pk).values_list(
                CLIENT_LOOKUPS[model], flat=True
            )
            client_id = found.first()
        except (ValueError, TypeError):  # not a key at all
            client_id = None
        record(
            request,
            action=action,
            record_type=record_type or RECORD_TYPES[model],
            record_id=pk,
            client_id=client_id,
            outcome=AccessOutcome.REFUSED if client_id is not None else AccessOutcome.NOT_FOUND,
        )

    return log


# Verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    entries: int
    newest_hash: str
    first_break: ChainBreak | None


def _stored_entries() -> Iterator[dict]:
    fields = ("pk", "previous_hash", "hash", *CANONICAL_FIELDS)
    return AccessLogEntry.objects.order_by("pk").values(*fields).iterator(chunk_size=2000)


def verify_chain(entries: Iterable[dict] | None = None) -> ChainReport:
    """Walk the log oldest first: each entry must follow the previous one's hash, and its
    own hash must match its content. Reports the first entry where either fails."""
    expected_previous = GENESIS_HASH
    count = 0
    for values in _stored_entries() if entries is None else entries:
        count += 1
        if values["previous_hash"] != expected_previous:
            reason = "does not follow the previous entry (an entry before it was removed or added)"
            return ChainReport(count, expected_previous, ChainBreak(values["pk"], reason))
        if values["hash"] != chain_hash(values["previous_hash"], values):
            reason = "its content does not match its hash (it was changed)"
            return ChainReport(count, expected_previous, ChainBreak(values["pk"], reason))
        expected_previous = values["hash"]
    return ChainReport(count, expected_previous, None)
