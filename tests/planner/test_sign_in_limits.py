"""Sign-in limits under a controlled clock: account locks an attacker cannot extend, a bounded
address ceiling that spares accounts known at that address, trusted proxies, TOTP replay."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg
import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from gis.accounts.throttle import ADDRESS_CEILING
from gis.db import libpq_dsn
from tests.conftest import make_settings
from tests.planner.conftest import ADMIN_PASSWORD, PLANNER_PASSWORD, Accounts, csrf_token
from webmap.auth.clock import set_clock

WRONG = "feil-passord-med-lengde"
OFFICE = "198.51.100.7"  # the kommune's offices behind one NAT address
WRONG_MESSAGE = "Feil brukernavn, passord eller engangskode."


@dataclass
class FakeClock:
    """The time the sign-in code sees; moved by hand."""

    current: datetime = field(default_factory=lambda: datetime(2026, 3, 3, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock(app: Flask) -> FakeClock:
    fake = FakeClock()
    set_clock(app, fake)
    return fake


def _post(client: FlaskClient, username: str, password: str, code: str = "",
          **headers: str) -> TestResponse:
    token = csrf_token(client)
    return client.post("/planner/logg-inn", headers=headers, data={
        "username": username, "password": password, "code": code, "csrf_token": token})


def _client_at(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _error(response: TestResponse) -> str:
    match = re.search(r'id="login-error">([^<]*)<', response.get_data(as_text=True))
    return match.group(1) if match else ""


def _attempts(url: str, username: str) -> int:
    with psycopg.connect(libpq_dsn(url)) as conn:
        row = conn.execute("SELECT count(*) FROM login_attempt WHERE username = %s",
                           (username,)).fetchone()
    assert row is not None
    return int(row[0])


def test_attempts_while_locked_neither_count_nor_extend_the_lock(
        app: Flask, accounts: Accounts, clock: FakeClock, planner_db: str) -> None:
    attacker = app.test_client()
    for _ in range(5):
        assert _post(attacker, accounts.planner, WRONG).status_code == 401
    locked = _post(attacker, accounts.planner, PLANNER_PASSWORD)
    assert locked.status_code == 429
    assert _error(locked) == "For mange mislykkede innlogginger. Prøv igjen om 1 min."
    # The attacker keeps hammering during the lock: refused, not recorded, lock not extended.
    clock.advance(seconds=30)
    for _ in range(20):
        assert _post(attacker, accounts.planner, WRONG).status_code == 429
    assert _attempts(planner_db, accounts.planner) == 5
    clock.advance(seconds=31)
    assert _post(app.test_client(), accounts.planner, PLANNER_PASSWORD).status_code == 302


def test_the_account_lock_doubles_with_each_further_failure(
        app: Flask, accounts: Accounts, clock: FakeClock) -> None:
    client = app.test_client()
    for _ in range(5):
        _post(client, accounts.planner, WRONG)
    for lock_minutes in (1, 2, 4, 8):
        clock.advance(minutes=lock_minutes, seconds=1)
        assert _post(client, accounts.planner, WRONG).status_code == 401  # a real attempt
        refused = _post(client, accounts.planner, PLANNER_PASSWORD)
        assert refused.status_code == 429
        assert f"om {lock_minutes * 2} min" in _error(refused)
    clock.advance(minutes=15)
    assert _post(client, accounts.planner, PLANNER_PASSWORD).status_code == 429
    clock.advance(minutes=1, seconds=1)
    assert _post(client, accounts.planner, PLANNER_PASSWORD).status_code == 302
    # A success starts over: five free failures again.
    other = app.test_client()
    for _ in range(5):
        assert _post(other, accounts.planner, WRONG).status_code == 401
    assert _post(other, accounts.planner, WRONG).status_code == 429


def test_spraying_from_a_shared_address_is_bounded_but_spares_known_accounts(
        app: Flask, accounts: Accounts, clock: FakeClock, planner_db: str) -> None:
    planner = _client_at(app, OFFICE)
    assert _post(planner, accounts.planner, PLANNER_PASSWORD).status_code == 302
    clock.advance(minutes=5)

    attacker = _client_at(app, OFFICE)
    for number in range(ADDRESS_CEILING - 1):
        assert _post(attacker, f"ukjent{number}", WRONG).status_code == 401
    # Below the ceiling a correct sign-in of an account new to this address goes through.
    admin = _client_at(app, OFFICE)
    code = pyotp.TOTP(accounts.admin_totp).at(clock.current)
    assert _post(admin, accounts.admin, ADMIN_PASSWORD, code).status_code == 302

    assert _post(attacker, "ukjent-siste", WRONG).status_code == 401  # the ceiling is reached
    for number in range(10):
        assert _post(attacker, f"ny{number}", WRONG).status_code == 429  # spraying stops here
    assert _attempts(planner_db, "ny0") == 0
    # A colleague who has signed in from the office before is not locked out by the attacker.
    colleague = _client_at(app, OFFICE)
    assert _post(colleague, accounts.planner, PLANNER_PASSWORD).status_code == 302
    # Another address is not affected at all.
    elsewhere = _client_at(app, "192.0.2.44")
    assert _post(elsewhere, "ukjent0", WRONG).status_code == 401
    # The window passes: the office address is open again.
    clock.advance(minutes=16)
    assert _post(attacker, "ny0", WRONG).status_code == 401


def _app_with_proxies(planner_db: str, hops: int, clock: FakeClock) -> Flask:
    from webmap import create_app

    application = create_app(make_settings(planner_db, trusted_proxies=hops))
    application.config["TESTING"] = True
    set_clock(application, clock)
    return application


def _fill_address(planner_db: str, address: str, at: datetime) -> None:
    """Earlier failures from one address, as sprayed sign-ins leave them."""
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        conn.execute("INSERT INTO login_attempt (username, address, succeeded, at) "
                     "SELECT 'ukjent' || n, %s, false, %s - n * interval '1 second' "
                     "FROM generate_series(1, %s) AS n", (address, at, ADDRESS_CEILING))


def _recorded_address(planner_db: str, username: str) -> str:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        row = conn.execute("SELECT address FROM login_attempt WHERE username = %s",
                           (username,)).fetchone()
    assert row is not None
    return str(row[0])


@pytest.fixture
def proxied(planner_db: str, accounts: Accounts) -> Iterator[tuple[Flask, FakeClock]]:
    clock = FakeClock()
    yield _app_with_proxies(planner_db, 1, clock), clock


def test_a_trusted_proxy_gives_the_client_address(proxied: tuple[Flask, FakeClock],
                                                  planner_db: str, accounts: Accounts) -> None:
    app, clock = proxied
    client = app.test_client()  # the proxy connects from 127.0.0.1
    _post(client, "ukjent-a", WRONG, **{"X-Forwarded-For": "203.0.113.9"})
    assert _recorded_address(planner_db, "ukjent-a") == "203.0.113.9"
    # A client's own forged entry before the proxy's is not believed.
    _post(client, "ukjent-b", WRONG, **{"X-Forwarded-For": "10.9.9.9, 203.0.113.10"})
    assert _recorded_address(planner_db, "ukjent-b") == "203.0.113.10"

    _fill_address(planner_db, "203.0.113.9", clock.current)
    blocked = _post(client, accounts.planner, PLANNER_PASSWORD,
                    **{"X-Forwarded-For": "203.0.113.9"})
    assert blocked.status_code == 429
    allowed = _post(app.test_client(), accounts.planner, PLANNER_PASSWORD,
                    **{"X-Forwarded-For": "203.0.113.11"})
    assert allowed.status_code == 302


def test_without_a_trusted_proxy_a_forged_header_changes_nothing(
        app: Flask, planner_db: str, accounts: Accounts, clock: FakeClock) -> None:
    client = app.test_client()
    _post(client, "ukjent-a", WRONG, **{"X-Forwarded-For": "203.0.113.9"})
    assert _recorded_address(planner_db, "ukjent-a") == "127.0.0.1"
    _fill_address(planner_db, "127.0.0.1", clock.current)
    forged = _post(client, accounts.planner, PLANNER_PASSWORD, **{"X-Forwarded-For": "192.0.2.1"})
    assert forged.status_code == 429


def test_a_totp_code_signs_in_only_once(app: Flask, accounts: Accounts, clock: FakeClock) -> None:
    code = pyotp.TOTP(accounts.admin_totp).at(clock.current)
    assert _post(app.test_client(), accounts.admin, ADMIN_PASSWORD, code).status_code == 302
    # The same code again (seen over a shoulder), at once and within its drift window.
    replay = _post(app.test_client(), accounts.admin, ADMIN_PASSWORD, code)
    assert replay.status_code == 401 and _error(replay) == WRONG_MESSAGE
    clock.advance(seconds=30)
    assert _post(app.test_client(), accounts.admin, ADMIN_PASSWORD, code).status_code == 401
    fresh = pyotp.TOTP(accounts.admin_totp).at(clock.current)
    assert _post(app.test_client(), accounts.admin, ADMIN_PASSWORD, fresh).status_code == 302


def test_a_wrong_code_reads_exactly_like_a_wrong_password(
        app: Flask, accounts: Accounts, clock: FakeClock) -> None:
    wrong_password = _post(app.test_client(), accounts.admin, WRONG,
                           pyotp.TOTP(accounts.admin_totp).at(clock.current))
    wrong_code = _post(app.test_client(), accounts.admin, ADMIN_PASSWORD, "123456")
    no_code = _post(app.test_client(), accounts.admin, ADMIN_PASSWORD)
    unknown_user = _post(app.test_client(), "finnes-ikke", WRONG)
    answers = {(r.status_code, _error(r)) for r in (wrong_password, wrong_code, no_code,
                                                    unknown_user)}
    assert answers == {(401, WRONG_MESSAGE)}
    english = app.test_client()
    token = csrf_token(english, "/en/planner/sign-in")
    response = english.post("/en/planner/sign-in", data={
        "username": accounts.admin, "password": ADMIN_PASSWORD, "code": "123456",
        "csrf_token": token})
    assert _error(response) == "Wrong username, password or one-time code."
