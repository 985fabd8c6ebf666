"""Failed editor sign-ins slowed, then locked, per name (or work account) and per client, in the database.

The counts live in the ``sign_in_attempts`` table, so that every app process on one database (the
shared deployment runs several) applies the same delays and locks. An attempt first claims every
key it is counted under, in one transaction: refused while any of them is locked or still inside
its delay, and otherwise holding each key for the delay a failure would earn, so that attempts
sent at once, from any number of sessions, are checked one at a time. Only then is the password
checked (outside the transaction); :func:`failed` or :func:`succeeded` records the result.

Each refusal and failure is logged with the name, the client, the count and the lock's end, never
the password. Pure: no Streamlit here (``dashboard/ui/editing.py`` draws the form).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from data_loaders import schema
from data_loaders.settings import SignInThrottle

Key = tuple[str, str]  # (kind, key): ("name", "jo bloggs"), ("client", "203.0.113.9"), ("account", "a@b.example")
KEY_CHARACTERS = schema.sign_in_attempts.c.key.type.length
LOCAL_CLIENT = "this machine"  # Streamlit gives no address for a client on the server's own machine


class _StandardError(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a line is logged (the process's, or a test's capture)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


log = logging.getLogger("pcc_dashboard.sign_in")
if not log.handlers:  # Streamlit configures only its own loggers: these lines go to stderr with a time
    _handler = _StandardError()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def now() -> dt.datetime:
    """The current time in UTC without a time zone (as stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def name_key(name: str) -> str:
    """A name or e-mail address folded for counting: spaces collapsed, case ignored, cut to the column's length."""
    return " ".join(str(name).split()).casefold()[:KEY_CHARACTERS]


def client_key(client: str | None) -> str:
    """A client's address as counted: an IPv4 address written as IPv6 (``::ffff:203.0.113.9``) counts as itself.

    >>> client_key("::ffff:203.0.113.9")
    '203.0.113.9'
    """
    if not client:
        return LOCAL_CLIENT
    try:
        address = ipaddress.ip_address(client.strip())
    except ValueError:  # not an address (a proxy header holding something else): counted as written
        return client.strip()[:KEY_CHARACTERS]
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def keys_for(kind: str, name: str, client: str | None) -> list[Key]:
    """The keys an attempt is counted under: the name (or ``account``) and the client's address."""
    return [(kind, name_key(name)), ("client", client_key(client))]


@dataclass(frozen=True)
class Refusal:
    """An attempt refused before its password was checked: a key is ``locked``, or must ``wait``, until a time."""

    reason: str
    until: dt.datetime

    def message(self, at: dt.datetime) -> str:
        """What the person signing in is told."""
        if self.reason == "locked":
            return (
                f"Too many failed sign-ins: signing in as an editor is locked until {self.until:%H:%M:%S} UTC "
                f"({self.until:%-d %B %Y}). Even the right password is refused until then."
            )
        seconds = max(1, int((self.until - at).total_seconds() + 0.999))
        return f"Too many failed sign-ins: wait {seconds} second{'s' if seconds != 1 else ''}, then try again."


@dataclass(frozen=True)
class Failure:
    """A failed attempt recorded: the most failures in a row of any of its keys, and the lock it brought."""

    failures: int
    locked_until: dt.datetime | None

    def message(self, wrong: str) -> str:
        """What the person signing in is told: ``wrong`` (why it failed), and the lock when this failure locked."""
        if self.locked_until is None:
            return wrong
        return " ".join(
            part for part in (wrong, Refusal("locked", self.locked_until).message(self.locked_until)) if part
        )


def _insert(connection: Connection):
    dialect = connection.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(schema.sign_in_attempts)
    if dialect == "sqlite":
        return sqlite.insert(schema.sign_in_attempts)
    raise ValueError(f"sign-in throttling does not support the {dialect} database")


def _rows(connection: Connection, keys: Sequence[Key], at: dt.datetime) -> list:
    """The keys' rows, created when missing, locked for this transaction (PostgreSQL) in one order (no deadlock)."""
    table = schema.sign_in_attempts
    ordered = sorted(set(keys))
    connection.execute(
        _insert(connection).on_conflict_do_nothing(),
        [{"kind": kind, "key": key, "failures": 0, "updated_at": at} for kind, key in ordered],
    )
    query = (
        sa.select(table)
        .where(sa.tuple_(table.c.kind, table.c.key).in_(ordered))
        .order_by(table.c.kind, table.c.key)
        .with_for_update()
    )
    return connection.execute(query).all()


def _update(connection: Connection, row, **values) -> None:
    table = schema.sign_in_attempts
    connection.execute(table.update().where(table.c.kind == row.kind, table.c.key == row.key).values(**values))


def claim(engine: Engine, limits: SignInThrottle, keys: Sequence[Key], at: dt.datetime | None = None) -> Refusal | None:
    """Hold every key for one attempt; the :class:`Refusal` instead while any key is locked or inside its delay.

    A lock that has ended starts its key afresh. Holding a key means no other attempt on it is
    checked before the delay its next failure would earn.
    """
    at = at or now()
    with engine.begin() as connection:
        rows = _rows(connection, keys, at)
        locks = [row.locked_until for row in rows if row.locked_until is not None and row.locked_until > at]
        if locks:
            return Refusal("locked", max(locks))
        waits = [row.next_attempt_at for row in rows if row.next_attempt_at is not None and row.next_attempt_at > at]
        if waits:
            return Refusal("wait", max(waits))
        for row in rows:
            failures = 0 if row.locked_until is not None else row.failures
            _update(
                connection,
                row,
                failures=failures,
                locked_until=None,
                next_attempt_at=at + limits.delay_after(failures + 1),
                updated_at=at,
            )
    return None


def failed(engine: Engine, limits: SignInThrottle, keys: Sequence[Key], at: dt.datetime | None = None) -> Failure:
    """Count a failed attempt against every key; the key reaching ``attempts_before_lock`` locks it."""
    at = at or now()
    most, locks = 0, []
    with engine.begin() as connection:
        for row in _rows(connection, keys, at):
            failures = row.failures + 1
            locked_until = at + limits.lock if failures >= limits.attempts_before_lock else None
            next_attempt = None if locked_until else at + limits.delay_after(failures)
            _update(
                connection,
                row,
                failures=failures,
                locked_until=locked_until,
                next_attempt_at=next_attempt,
                updated_at=at,
            )
            most = max(most, failures)
            locks += [locked_until] if locked_until else []
    return Failure(most, max(locks, default=None))


def succeeded(engine: Engine, keys: Sequence[Key], at: dt.datetime | None = None) -> None:
    """Start every key afresh after a successful sign-in."""
    at = at or now()
    with engine.begin() as connection:
        for row in _rows(connection, keys, at):
            _update(connection, row, failures=0, locked_until=None, next_attempt_at=None, updated_at=at)


@dataclass(frozen=True)
class Outcome:
    """An attempt's result: whether it was ``accepted``, until when a refusal holds (None: no lock), the message."""

    accepted: bool
    until: dt.datetime | None
    message: str


def attempt(
    engine: Engine,
    limits: SignInThrottle,
    kind: str,
    name: str,
    client: str | None,
    correct: Callable[[], bool],
    *,
    why: str,
    wrong: str = "",
) -> Outcome:
    """One sign-in attempt by ``name`` (of ``kind`` name or account) from ``client``: claimed, checked, recorded, logged.

    ``correct`` (the password check) is called only when the attempt may be checked; a failure is
    logged as ``why`` and told as ``wrong``, with the lock when it brought one.
    """
    keys = keys_for(kind, name, client)
    client = keys[1][1]
    refusal = claim(engine, limits, keys)
    if refusal is not None:
        log_refused(name, client, refusal)
        return Outcome(False, refusal.until, refusal.message(now()))
    if correct():
        succeeded(engine, keys)
        log_succeeded(name, client)
        return Outcome(True, None, "")
    failure = failed(engine, limits, keys)
    log_failed(name, client, failure, why)
    return Outcome(False, failure.locked_until, failure.message(wrong))


def log_refused(name: str, client: str | None, refusal: Refusal) -> None:
    """One line on stderr for an attempt refused unchecked (no password in it)."""
    log.warning(
        "editor sign-in refused unchecked: name=%r client=%r reason=%s until=%sZ",
        name,
        client or LOCAL_CLIENT,
        refusal.reason,
        refusal.until.isoformat(),
    )


def log_failed(name: str, client: str | None, failure: Failure, why: str) -> None:
    """One line on stderr for a failed attempt: the name, the client, the count and the lock's end (no password)."""
    lock = f"{failure.locked_until.isoformat()}Z" if failure.locked_until else "-"
    log.warning(
        "editor sign-in failed (%s): name=%r client=%r failures=%d locked_until=%s",
        why,
        name,
        client or LOCAL_CLIENT,
        failure.failures,
        lock,
    )


def log_succeeded(name: str, client: str | None) -> None:
    """One line on stderr for a successful editor sign-in."""
    log.info("editor signed in: name=%r client=%r", name, client or LOCAL_CLIENT)
