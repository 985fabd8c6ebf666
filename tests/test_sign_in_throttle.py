"""Failed editor sign-ins are slowed, then locked, per name (or account) and per client, in the database, on
SQLite and PostgreSQL; the app refuses even the right password during a lock, and logs without the password."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from dashboard.ui import throttle
from dashboard.ui.sign_in import PASSWORD_SECRET, hash_password
from data_loaders import database, schema
from data_loaders.settings import SettingsError, SignInThrottle, load_settings

LIMITS = SignInThrottle(attempts_before_lock=3, lock_minutes=10, first_delay_seconds=1.0, delay_growth=2.0)
T0 = dt.datetime(2026, 3, 2, 9, 0, 0)
ANA = throttle.keys_for("name", "  Ana   ANALYST ", "203.0.113.9")
SECONDS = dt.timedelta(seconds=1)


def rows(engine) -> list[tuple]:
    table = schema.sign_in_attempts
    with engine.connect() as connection:
        query = sa.select(table.c.kind, table.c.key, table.c.failures, table.c.next_attempt_at, table.c.locked_until)
        return [tuple(row) for row in connection.execute(query.order_by(table.c.kind, table.c.key))]


def test_the_keys_are_the_folded_name_and_the_client():
    assert ANA == [("name", "ana analyst"), ("client", "203.0.113.9")]
    assert throttle.keys_for("account", "Editor@OPCC.example", None) == [
        ("account", "editor@opcc.example"),
        ("client", "this machine"),
    ]
    assert throttle.keys_for("name", "Ana", "::ffff:203.0.113.9")[1] == ("client", "203.0.113.9")
    assert throttle.keys_for("name", "Ana", " 2001:DB8::1 ")[1] == ("client", "2001:db8::1")


def test_failures_are_slowed_then_locked_and_the_lock_ends(engine):
    # The first attempt, failed: the next waits 1 s.
    assert throttle.claim(engine, LIMITS, ANA, T0) is None
    assert throttle.failed(engine, LIMITS, ANA, T0) == throttle.Failure(1, None)
    assert throttle.claim(engine, LIMITS, ANA, T0 + 0.5 * SECONDS) == throttle.Refusal("wait", T0 + SECONDS)
    # The second, after the wait, failed: the next waits 2 s more.
    assert throttle.claim(engine, LIMITS, ANA, T0 + SECONDS) is None
    assert throttle.failed(engine, LIMITS, ANA, T0 + SECONDS) == throttle.Failure(2, None)
    refusal = throttle.claim(engine, LIMITS, ANA, T0 + 2 * SECONDS)
    assert refusal == throttle.Refusal("wait", T0 + 3 * SECONDS)
    assert refusal.message(T0 + 2 * SECONDS) == "Too many failed sign-ins: wait 1 second, then try again."
    # The third fails and locks both the name and the client for ten minutes.
    assert throttle.claim(engine, LIMITS, ANA, T0 + 3 * SECONDS) is None
    failure = throttle.failed(engine, LIMITS, ANA, T0 + 3 * SECONDS)
    lock_end = dt.datetime(2026, 3, 2, 9, 10, 3)
    assert failure == throttle.Failure(3, lock_end)
    assert failure.message("That password is not the editor password.") == (
        "That password is not the editor password. Too many failed sign-ins: signing in as an editor is locked "
        "until 09:10:03 UTC (2 March 2026). Even the right password is refused until then."
    )
    assert rows(engine) == [
        ("client", "203.0.113.9", 3, None, lock_end),
        ("name", "ana analyst", 3, None, lock_end),
    ]
    # During the lock every attempt is refused before any password is checked, by name and by client.
    during = T0 + dt.timedelta(minutes=9, seconds=59)
    assert throttle.claim(engine, LIMITS, ANA, during) == throttle.Refusal("locked", lock_end)
    assert throttle.claim(engine, LIMITS, throttle.keys_for("name", "Ana Analyst", "198.51.100.7"), during) == (
        throttle.Refusal("locked", lock_end)
    )
    assert throttle.claim(engine, LIMITS, throttle.keys_for("name", "Ben Other", "203.0.113.9"), during) == (
        throttle.Refusal("locked", lock_end)
    )
    # Another name from another client is not held up at all.
    assert throttle.claim(engine, LIMITS, throttle.keys_for("name", "Ben Other", "198.51.100.7"), during) is None
    # The lock ends: the name starts afresh, one failure is one failure again.
    assert throttle.claim(engine, LIMITS, ANA, lock_end) is None
    assert throttle.failed(engine, LIMITS, ANA, lock_end) == throttle.Failure(1, None)
    # A success starts every key afresh.
    assert throttle.claim(engine, LIMITS, ANA, lock_end + SECONDS) is None
    throttle.succeeded(engine, ANA, lock_end + SECONDS)
    assert [row[2:] for row in rows(engine) if row[1] in {"203.0.113.9", "ana analyst"}] == [(0, None, None)] * 2


def test_attempts_sent_at_once_are_checked_one_at_a_time(engine):
    """A claimed attempt holds its keys for the delay its failure would earn: a second one at once is refused."""
    assert throttle.claim(engine, LIMITS, ANA, T0) is None
    assert throttle.claim(engine, LIMITS, ANA, T0) == throttle.Refusal("wait", T0 + SECONDS)


def test_the_throttle_is_not_a_data_change(engine):
    """Sign-in attempts are no reason for any process to read its tables again."""
    with engine.connect() as connection:
        before = database.read_change_stamp(connection)
    throttle.claim(engine, LIMITS, ANA, T0)
    throttle.failed(engine, LIMITS, ANA, T0)
    with engine.connect() as connection:
        assert database.read_change_stamp(connection) == before


def test_the_settings_are_read_and_checked(tmp_path):
    assert load_settings().sign_in == SignInThrottle(5, 15, 1.0, 2.0, "")
    path = tmp_path / "settings.toml"
    path.write_text('[sign_in]\nattempts_before_lock = 3\nclient_address_header = "X-Forwarded-For"\n')
    assert load_settings(path).sign_in == SignInThrottle(3, 15, 1.0, 2.0, "X-Forwarded-For")
    for bad, message in [
        ("attempts_before_lock = 0", "attempts_before_lock 0 must be 1 or more"),
        ("attempts_before_lock = 2.5", "attempts_before_lock 2.5 must be a whole number of 1 or more"),
        ("delay_growth = 0.5", "delay_growth 0.5 must be 1 or more"),
        ("lock_minuts = 5", "unknown keys: lock_minuts"),
    ]:
        path.write_text(f"[sign_in]\n{bad}\n")
        with pytest.raises(SettingsError, match=message):
            load_settings(path)


# ---- in the app ----------------------------------------------------------------------------------

APP = ROOT / "dashboard" / "app.py"
DATA = "app_pages/data.py"
PASSWORD = "correct horse battery staple"
WRONG = "That password is not the editor password."


@pytest.fixture
def strict_settings(monkeypatch, tmp_path):
    """Three failures lock for ten minutes; no delay between attempts, so the app test need not wait."""
    path = tmp_path / "strict.toml"
    path.write_text(
        "[sign_in]\nattempts_before_lock = 3\nlock_minutes = 10\nfirst_delay_seconds = 0\n\n"
        '[recommendations]\neditors = ["Editor@OPCC.example"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("PCC_SETTINGS_FILE", str(path))


def data_page(monkeypatch, url: str, secrets: dict, user: dict | None = None) -> AppTest:
    monkeypatch.setenv("PCC_DATABASE_URL", url)
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in secrets.items():
        app.secrets[key] = value
    if user is not None:
        app.user = user
    app.run()
    app.switch_page(DATA).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def sign_in(app: AppTest, password: str, name: str = "Ana Analyst") -> list[str]:
    app.sidebar.text_input(key="editor_name").input(name)
    app.sidebar.text_input(key="editor_password").input(password)
    app.sidebar.button[0].click().run()
    assert not app.exception, [e.value for e in app.exception]
    return [e.value for e in app.sidebar.error]


def signed_in(app: AppTest) -> bool:
    return any(c.value.startswith("Signed in as editor") for c in app.sidebar.caption)


def test_the_third_wrong_password_locks_and_the_right_one_is_refused_until_the_lock_ends(
    monkeypatch, db_url, strict_settings, capfd
):
    app = data_page(monkeypatch, db_url, {PASSWORD_SECRET: hash_password(PASSWORD)})
    assert sign_in(app, "guess one") == [WRONG]
    assert sign_in(app, "guess two") == [WRONG]
    [third] = sign_in(app, "guess three")
    engine = database.make_engine(db_url)
    lock_end = rows(engine)[0][4]
    assert [row[:3] + row[4:] for row in rows(engine)] == [
        ("client", "this machine", 3, lock_end),
        ("name", "ana analyst", 3, lock_end),
    ]
    assert dt.timedelta(minutes=9) < lock_end - throttle.now() <= dt.timedelta(minutes=10)
    assert third == (
        f"{WRONG} Too many failed sign-ins: signing in as an editor is locked until {lock_end:%H:%M:%S} UTC "
        f"({lock_end:%-d %B %Y}). Even the right password is refused until then."
    )
    # The right password during the lock is refused, unchecked, and changes nothing.
    assert sign_in(app, PASSWORD) == [throttle.Refusal("locked", lock_end).message(throttle.now())]
    assert not signed_in(app)
    assert rows(engine)[0][2] == 3
    # The lock ends (moved into the past, as the clock would): the right password signs in.
    with engine.begin() as connection:
        connection.execute(schema.sign_in_attempts.update().values(locked_until=throttle.now() - SECONDS))
    assert sign_in(app, PASSWORD) == []
    assert signed_in(app)
    assert [row[2:] for row in rows(engine)] == [(0, None, None)] * 2
    engine.dispose()
    logged = capfd.readouterr().err
    lines = [line for line in logged.splitlines() if "pcc_dashboard.sign_in" in line]
    assert [line.split(": ", 1)[1] for line in lines] == [
        "editor sign-in failed (wrong password): name='Ana Analyst' client='this machine' failures=1 locked_until=-",
        "editor sign-in failed (wrong password): name='Ana Analyst' client='this machine' failures=2 locked_until=-",
        "editor sign-in failed (wrong password): name='Ana Analyst' client='this machine' failures=3 "
        f"locked_until={lock_end.isoformat()}Z",
        f"editor sign-in refused unchecked: name='Ana Analyst' client='this machine' reason=locked "
        f"until={lock_end.isoformat()}Z",
        "editor signed in: name='Ana Analyst' client='this machine'",
    ]
    assert "guess" not in logged and PASSWORD not in logged, "no password is ever logged"


AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x", "client_id": "x"}}


def test_work_accounts_that_are_not_editors_lock_the_client_for_editors_too(monkeypatch, sqlite_url, strict_settings):
    someone = {"is_logged_in": True, "email": "someone@opcc.example"}
    for _ in range(2):
        app = data_page(monkeypatch, sqlite_url, AUTH, someone)  # a new session each time
        assert "Signed in as someone@opcc.example (view only: not listed as an editor)." in [
            c.value for c in app.sidebar.caption
        ]
        assert not app.sidebar.error
    app = data_page(monkeypatch, sqlite_url, AUTH, someone)
    engine = database.make_engine(sqlite_url)
    lock_end = rows(engine)[0][4]
    assert [row[:3] for row in rows(engine)] == [("account", "someone@opcc.example", 3), ("client", "this machine", 3)]
    assert [e.value for e in app.sidebar.error] == [throttle.Refusal("locked", lock_end).message(lock_end)]
    # An editor's account from the locked client is refused until the lock ends, then may edit.
    editor = {"is_logged_in": True, "email": "editor@opcc.example"}
    app = data_page(monkeypatch, sqlite_url, AUTH, editor)
    assert "Signed in as editor@opcc.example (view only)." in [c.value for c in app.sidebar.caption]
    assert [e.value for e in app.sidebar.error] == [throttle.Refusal("locked", lock_end).message(throttle.now())]
    with engine.begin() as connection:
        connection.execute(schema.sign_in_attempts.update().values(locked_until=throttle.now() - SECONDS))
    engine.dispose()
    app = data_page(monkeypatch, sqlite_url, AUTH, editor)
    assert "Signed in as editor@opcc.example (editor)." in [c.value for c in app.sidebar.caption]
    assert not app.sidebar.error
