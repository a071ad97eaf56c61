"""The access log of client records (NEN 7513): who read, changed, exported or printed
which record, or tried to, when and from where.

Views do not write it: the look-ups of `practice.access` (`get_client`, `get_consult`, …)
log every outcome of an access, and `access.logged_write` logs a write in its own
transaction. A refused attempt is logged as `refused` when the record exists (with its
client, so the treating practitioner sees it) and as `not_found` when it does not.

The log is a hash chain: an entry's `hash` is the HMAC-SHA-256, under
`settings.ACCESS_LOG_KEY`, of the previous entry's hash followed by the entry's canonical
content with its `seq` (`chain_hash`), the first entry following `GENESIS_HASH`. Without
the key nobody can give a changed entry a hash that verifies, however many hashes after it
they recompute. Entries written before the log had a key (migration 0008) keep their plain
SHA-256 links, as `hash_scheme` says; the keyed epoch starts with the first keyed entry, and
an unkeyed entry after it is a break.

Appending reads the newest entry's `seq` and hash and inserts, two queries; `seq` and
`previous_hash` are unique, so two writers that read the same newest entry cannot both
append to it: the loser's insert does nothing (`ON CONFLICT DO NOTHING`, no error, so no
savepoint is needed inside a write's transaction) and it retries on the new newest entry;
the chain neither forks nor has gaps (an entry rolled back leaves none: the next writer
reads what was committed).
`verify_chain` walks it (`manage.py verify_access_log`). What the chain alone cannot show
(entries removed from its end, the log emptied, or rewritten from the start without the
key but relabelled as unkeyed) shows against an `Anchor`, its head saved outside the
database (`manage.py access_log_anchor`; `verify_access_log --anchor`).

The consult page's live check posts the form on every change; `record_live_check` logs
one read per access, not one per keystroke (see its docstring).
"""

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.db import IntegrityError, connection
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from gutbrain.client_ip import client_ip
from practice.models import (
    AccessAction,
    AccessChannel,
    AccessLogEntry,
    AccessLogStart,
    AccessOutcome,
    AccessRecordType,
    Client,
    Consult,
    HashScheme,
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
# A keyed hash covers the entry's number too, so that renumbering needs the key.
KEYED_FIELDS = (*CANONICAL_FIELDS, "seq")
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


def canonical_content(values: dict, fields: tuple[str, ...] = CANONICAL_FIELDS) -> str:
    """The entry's content as the hash covers it: JSON with sorted keys, the time in UTC
    to the microsecond. `values` holds the `fields` as stored."""
    content = {name: values[name] for name in fields}
    content["at"] = values["at"].astimezone(UTC).isoformat()
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(previous_hash: str, values: dict, scheme: str = HashScheme.HMAC_SHA256) -> str:
    """The hash of an entry with `values` after `previous_hash`: keyed with
    `settings.ACCESS_LOG_KEY` over the content with `seq`, or, for the entries written
    before the log had a key (`HashScheme.SHA256`), plain SHA-256 over the content
    without it."""
    if scheme == HashScheme.SHA256:
        content = previous_hash + canonical_content(values)
        return hashlib.sha256(content.encode("utf-8")).hexdigest()
    content = previous_hash + canonical_content(values, KEYED_FIELDS)
    key = settings.ACCESS_LOG_KEY.encode("utf-8")
    return hmac.new(key, content.encode("utf-8"), hashlib.sha256).hexdigest()


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


def _insert_unless_taken(entry: AccessLogEntry) -> bool:
    """Insert `entry`, unless another writer has taken its number (or follows the same
    hash) meanwhile: False then, with nothing inserted. One statement, `INSERT … ON
    CONFLICT DO NOTHING RETURNING` (PostgreSQL, SQLite ≥ 3.35): a lost race is not an
    error, so it aborts no transaction and needs no savepoint; any other fault (a refused
    value, a trigger) raises as usual."""
    meta = AccessLogEntry._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    params = [field.get_db_prep_save(field.pre_save(entry, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    entry.pk = row[0]
    entry._state.adding, entry._state.db = False, connection.alias
    return True


def append(entry: AccessLogEntry) -> AccessLogEntry:
    """Number, hash and save `entry`, its content set, as the log's newest entry. `record`
    is the way in for an access; this, for an entry whose content is given whole (a time
    in the past, in tests)."""
    values = {name: getattr(entry, name) for name in CANONICAL_FIELDS}
    entry.hash_scheme = HashScheme.HMAC_SHA256
    for _attempt in range(APPEND_ATTEMPTS):
        newest = AccessLogEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        entry.seq, entry.previous_hash = (newest[0] + 1, newest[1]) if newest else (1, GENESIS_HASH)
        entry.hash = chain_hash(entry.previous_hash, {**values, "seq": entry.seq})
        if _insert_unless_taken(entry):
            return entry
        # Another writer appended first: chain onto theirs.
    raise IntegrityError(
        f"Could not append to the access log: {APPEND_ATTEMPTS} other writers took the "
        "next number first."
    )


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
        ip_address=client_ip(request),
        user_agent=_text(request.META.get("HTTP_USER_AGENT", ""), 300),
        path=_text(request.path, 300),
    )
    return append(entry)


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


def record_refusal(
    request: HttpRequest,
    model: type[Model],
    pk: object,
    action: str,
    record_type: str | None = None,
) -> AccessLogEntry:
    """Log a refused attempt at the `model` record `pk`: `refused` with the record's client
    when the record exists, `not_found` when it does not."""
    try:
        found = model._default_manager.filter(pk=pk).values_list(CLIENT_LOOKUPS[model], flat=True)
        client_id = found.first()
    except (ValueError, TypeError):  # not a key at all
        client_id = None
    return record(
        request,
        action=action,
        record_type=record_type or RECORD_TYPES[model],
        record_id=pk,
        client_id=client_id,
        outcome=AccessOutcome.REFUSED if client_id is not None else AccessOutcome.NOT_FOUND,
    )


# Verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain is broken: at an entry, or (`entry_id` None) as a whole."""

    entry_id: int | None
    reason: str


@dataclass(frozen=True)
class ChainReport:
    entries: int
    newest_seq: int
    newest_hash: str
    first_break: ChainBreak | None


def _stored_entries() -> Iterator[dict]:
    fields = ("pk", "seq", "previous_hash", "hash", "hash_scheme", *CANONICAL_FIELDS)
    return AccessLogEntry.objects.order_by("seq").values(*fields).iterator(chunk_size=2000)


def _fault(values: dict, seq: int, previous_hash: str, keyed: bool) -> str | None:
    """Why the entry cannot be the one numbered `seq` after `previous_hash`, or None."""
    if values["seq"] != seq:
        if seq == 1:
            return f"it is numbered {values['seq']}, not 1: the oldest entries were removed"
        return f"it is numbered {values['seq']} after {seq - 1}: the entries between were removed"
    if values["previous_hash"] != previous_hash:
        return "does not follow the previous entry (an entry before it was removed or added)"
    scheme = values["hash_scheme"]
    if scheme == HashScheme.SHA256 and keyed:
        return "it has an unkeyed hash after keyed entries (it was rewritten without the key)"
    if scheme not in HashScheme.values or values["hash"] != chain_hash(
        previous_hash, values, scheme
    ):
        if scheme == HashScheme.SHA256:
            return "its content does not match its hash (it was changed)"
        return (
            "its content does not match its keyed hash (it was changed, or hashed without "
            "the log's key)"
        )
    return None


def verify_chain() -> ChainReport:
    """Walk the log in order of `seq`: each entry must be numbered one on from the one
    before it, follow its hash and match its own hash under its scheme, and none may be
    unkeyed after a keyed one. Reports the first entry where any of this fails, and a log
    whose first entry no longer holds the database's guard against emptying it."""
    seq, previous_hash, keyed, first_pk = 0, GENESIS_HASH, False, None
    for values in _stored_entries():
        first_pk = first_pk or values["pk"]
        reason = _fault(values, seq + 1, previous_hash, keyed)
        if reason is not None:
            return ChainReport(seq + 1, seq, previous_hash, ChainBreak(values["pk"], reason))
        seq, previous_hash = values["seq"], values["hash"]
        keyed = keyed or values["hash_scheme"] == HashScheme.HMAC_SHA256
    if first_pk is not None and not AccessLogStart.objects.filter(entry_id=first_pk).exists():
        reason = "its start record, the database's guard against emptying the log, was removed"
        return ChainReport(seq, seq, previous_hash, ChainBreak(first_pk, reason))
    return ChainReport(seq, seq, previous_hash, None)


@dataclass(frozen=True)
class Anchor:
    """The head of the chain as it was at `anchored_at`, kept outside the database: the
    entry numbered `seq` had `hash` (made under `hash_scheme`) and was written `at`.
    `seq` 0 anchors an empty log."""

    seq: int
    hash: str
    hash_scheme: str
    at: str
    anchored_at: str

    @classmethod
    def of_head(cls, report: ChainReport) -> "Anchor":
        """The anchor of the newest entry of an intact chain `report`."""
        head = AccessLogEntry.objects.filter(seq=report.newest_seq).values("at", "hash_scheme")
        entry = head.first() or {"at": None, "hash_scheme": ""}
        return cls(
            seq=report.newest_seq,
            hash=report.newest_hash,
            hash_scheme=entry["hash_scheme"],
            at=entry["at"].astimezone(UTC).isoformat() if entry["at"] else "",
            anchored_at=timezone.now().astimezone(UTC).isoformat(),
        )

    @classmethod
    def from_json(cls, text: str) -> "Anchor":
        """Raises ValueError when `text` is not an anchor."""
        try:
            data = json.loads(text)
            anchor = cls(**{name: data[name] for name in cls.__dataclass_fields__})
        except (json.JSONDecodeError, TypeError, KeyError) as exc:
            raise ValueError(f"not an access log anchor ({exc})") from None
        if not isinstance(anchor.seq, int) or anchor.seq < 0 or not isinstance(anchor.hash, str):
            raise ValueError("not an access log anchor (seq or hash is wrong)")
        return anchor

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2) + "\n"

    def compare(self, report: ChainReport) -> ChainBreak | None:
        """What the log has lost since this anchor: None while the anchor's entry is
        still in it with the anchor's hash."""
        if self.seq == 0:
            return None
        anchor = f"the anchor of {self.anchored_at}"
        if report.entries == 0:
            return ChainBreak(
                None, f"the log is empty, but {anchor} names number {self.seq}: it was emptied"
            )
        if report.newest_seq < self.seq:
            return ChainBreak(
                None,
                f"the log ends at number {report.newest_seq}, but {anchor} names number "
                f"{self.seq}: entries were removed from its end",
            )
        found = AccessLogEntry.objects.filter(seq=self.seq).values("pk", "hash", "hash_scheme")
        entry = found.first()
        if entry is None or entry["hash"] == self.hash:
            return None  # no entry: a gap, which the chain itself reports
        if entry["hash_scheme"] != self.hash_scheme:
            return ChainBreak(
                entry["pk"],
                f"it is number {self.seq} of {anchor}, hashed {self.hash_scheme} then and "
                f"{entry['hash_scheme']} now: the chain was rewritten without the key",
            )
        return ChainBreak(
            entry["pk"],
            f"it is number {self.seq} of {anchor} and no longer has its hash: the chain was "
            "rewritten",
        )
