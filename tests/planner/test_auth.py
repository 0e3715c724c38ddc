"""Sign-in: argon2 passwords, policy, TOTP for admins, database sessions, throttling, CSRF."""

from __future__ import annotations

import psycopg
import pyotp
import pytest
from click.testing import CliRunner
from flask import Flask

from gis.accounts.passwords import common_passwords
from gis.accounts.users import AccountError, add_account
from gis.db import libpq_dsn
from tests.planner.conftest import ADMIN_PASSWORD, PLANNER_PASSWORD, Accounts, csrf_token, sign_in
from webmap.cli import main


def _sessions(url: str) -> list[str]:
    with psycopg.connect(libpq_dsn(url)) as conn:
        return [r[0] for r in conn.execute("SELECT token_hash FROM web_session ORDER BY created_at")]


def test_sign_in_rotates_the_session_and_sign_out_kills_it(app: Flask, accounts: Accounts,
                                                             planner_db: str) -> None:
    client = app.test_client()
    assert client.get("/planner/").status_code == 302
    sign_in(client, accounts.planner, PLANNER_PASSWORD)
    first = _sessions(planner_db)
    assert len(first) == 1
    cookie = client.get_cookie("naeringskart_session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert client.get("/planner/").status_code == 200

    # Signing in again: a new session id.
    token = csrf_token(client, "/planner/")
    client.post("/planner/logg-inn", data={"username": accounts.planner,
                                           "password": PLANNER_PASSWORD, "csrf_token": token})
    assert client.get_cookie("naeringskart_session").value != cookie.value  # type: ignore[union-attr]
    second = _sessions(planner_db)
    assert second[-1] not in first

    stolen = client.get_cookie("naeringskart_session").value  # type: ignore[union-attr]
    token = csrf_token(client, "/planner/")
    assert client.post("/planner/logg-ut", data={"csrf_token": token}).status_code == 302
    assert second[-1] not in _sessions(planner_db)
    replay = app.test_client()
    replay.set_cookie("naeringskart_session", stolen)
    response = replay.get("/planner/")
    assert response.status_code == 302 and "/planner/logg-inn" in response.headers["Location"]
    assert replay.get("/api/planner/sites").status_code == 401


def test_wrong_password_is_refused_and_throttled_per_account(app: Flask, accounts: Accounts) -> None:
    client = app.test_client()
    for _attempt in range(5):
        sign_in(client, accounts.planner, "feil-passord-12345", expect=401)
    # The sixth try is refused even with the right password.
    token = csrf_token(client)
    response = client.post("/planner/logg-inn", data={
        "username": accounts.planner, "password": PLANNER_PASSWORD, "csrf_token": token})
    assert response.status_code == 429
    assert "For mange mislykkede" in response.get_data(as_text=True)
    # Another account from another address is not affected.
    other = app.test_client()
    sign_in(other, accounts.admin, ADMIN_PASSWORD, pyotp.TOTP(accounts.admin_totp).now())


def test_admin_needs_the_totp_code(app: Flask, accounts: Accounts) -> None:
    client = app.test_client()
    sign_in(client, accounts.admin, ADMIN_PASSWORD, expect=401)
    sign_in(client, accounts.admin, ADMIN_PASSWORD, "000000", expect=401)
    sign_in(client, accounts.admin, ADMIN_PASSWORD, pyotp.TOTP(accounts.admin_totp).now())
    assert client.get("/planner/admin/brukere").status_code == 200


def test_sign_in_without_csrf_token_is_refused(app: Flask, accounts: Accounts) -> None:
    client = app.test_client()
    response = client.post("/planner/logg-inn", data={"username": accounts.planner,
                                                      "password": PLANNER_PASSWORD})
    assert response.status_code == 400


# Each as it stands in the address bar (already percent-encoded where a browser would send it).
OPEN_REDIRECT_BYPASSES = [
    "//evil.example/",
    "/%5Cevil.example",               # /\evil.example
    "/%09/evil.example",              # a tab the browser drops: //evil.example
    "/%0A/evil.example",
    "%20//evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "%5C/%5C/evil.example",           # \/\/evil.example
    "/%252F%252Fevil.example",        # /%2F%2Fevil.example, decoded once more by a proxy
    "/%2F%2Fevil.example",
    "/%E2%80%8B/evil.example",        # a zero-width space
]


@pytest.mark.parametrize("bypass", OPEN_REDIRECT_BYPASSES)
def test_next_parameter_cannot_leave_the_site(app: Flask, accounts: Accounts, bypass: str) -> None:
    client = app.test_client()
    page = client.get("/planner/logg-inn", query_string=f"next={bypass}").get_data(as_text=True)
    # The form posts to an explicit address that no longer carries the foreign target.
    assert 'action="/planner/logg-inn"' in page
    token = csrf_token(client)
    response = client.post("/planner/logg-inn", query_string=f"next={bypass}", data={
        "username": accounts.planner, "password": PLANNER_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/planner/"


def test_next_parameter_returns_to_a_page_of_the_site(app: Flask, accounts: Accounts) -> None:
    client = app.test_client()
    page = client.get("/planner/logg-inn?next=/planner/tomter%3Fside%3D2").get_data(as_text=True)
    assert 'action="/planner/logg-inn?next=/planner/tomter?side%3D2"' in page
    token = csrf_token(client)
    response = client.post("/planner/logg-inn?next=/planner/tomter%3Fside%3D2", data={
        "username": accounts.planner, "password": PLANNER_PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/planner/tomter?side=2"


@pytest.mark.parametrize(("password", "reason"), [
    ("kortpassord", "at least 12"),
    ("qwertyuiop", "at least 12"),
    ("1q2w3e4r5t6y", "most common"),
    ("Kari-sitt-passord-1", "username"),
])
def test_password_policy(planner_db: str, password: str, reason: str) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn, pytest.raises(AccountError, match=reason):
        add_account(conn, "kari", password, role="planner")


@pytest.mark.parametrize(("password", "reason"), [
    ("password1234", "most common"),
    ("PASSWORD1234", "most common"),          # the list is checked case-insensitively
    ("Dragon2024!!", "most common"),          # a common word with digits around it
    (" " * 12, "repetition or a sequence"),
    ("aaaaaaaaaaaa", "repetition or a sequence"),
    ("abcabcabcabc", "repetition or a sequence"),
    ("123456789012", "repetition or a sequence"),
    ("987654321098", "repetition or a sequence"),
    ("naeringskart123", "too weak"),
    ("Næringskart2026", "too weak"),
    ("qwertyuiopas", "too weak"),
    ("Planlegger-Nordmann-7", "'nordmann'"),  # the person's name
    ("Asker-kommune-2026", "'asker'"),        # the kommune's name
])
def test_weak_passwords_are_refused(planner_db: str, password: str, reason: str) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn, pytest.raises(AccountError, match=reason):
        add_account(conn, "kari", password, role="planner", display_name="Kari Nordmann",
                    kommune_name="Asker")


@pytest.mark.parametrize("password", ["blåbærsyltetøy-2026", "korrekt hest batteri stift",
                                      "Ni-grønne-ekorn-på-taket"])
def test_strong_passphrases_are_accepted(planner_db: str, password: str) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        add_account(conn, "kari", password, role="planner", display_name="Kari Nordmann",
                    kommune_name="Asker")


def test_the_command_line_applies_the_same_policy(planner_db: str, accounts: Accounts,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAERINGSKART_DATABASE_URL", planner_db)
    runner = CliRunner()
    for weak, reason in (("naeringskart123", "too weak"), ("Asker-er-best-2026", "'asker'"),
                         ("aaaaaaaaaaaa", "repetition")):
        result = runner.invoke(main, ["user", "add", "per", "--password", weak])
        assert result.exit_code != 0 and reason in result.output, result.output
        result = runner.invoke(main, ["user", "reset-password", "kari", "--password", weak])
        assert result.exit_code != 0 and reason in result.output, result.output
    result = runner.invoke(main, ["user", "reset-password", "kari", "--password", "Kari-2026-sol"])
    assert result.exit_code != 0 and "'kari'" in result.output


def test_the_common_password_list_has_3000_entries() -> None:
    assert len(common_passwords()) == 3000
    assert "password" in common_passwords()


def test_passwords_are_stored_as_argon2id(planner_db: str, accounts: Accounts) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        stored = conn.execute("SELECT password_hash FROM app_user WHERE username = 'kari'").fetchone()
    assert stored and stored[0].startswith("$argon2id$") and PLANNER_PASSWORD not in stored[0]


def test_user_cli_add_disable_reset(planner_db: str, app: Flask,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAERINGSKART_DATABASE_URL", planner_db)
    runner = CliRunner()
    result = runner.invoke(main, ["user", "add", "per", "--password", "lang-og-hemmelig-frase"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["user", "add", "anne", "--role", "admin", "--password",
                                  "sterkt-og-langt-ord-9"])
    assert result.exit_code == 0 and "otpauth://totp/" in result.output
    result = runner.invoke(main, ["user", "add", "ida", "--password", "password"])
    assert result.exit_code != 0 and "at least 12" in result.output

    client = app.test_client()
    sign_in(client, "per", "lang-og-hemmelig-frase")
    assert runner.invoke(main, ["user", "disable", "per"]).exit_code == 0
    assert client.get("/planner/").status_code == 302  # the open session ended
    sign_in(app.test_client(), "per", "lang-og-hemmelig-frase", expect=401)
    result = runner.invoke(main, ["user", "reset-password", "per", "--password",
                                  "et-helt-nytt-passord"])
    assert result.exit_code == 0, result.output
    sign_in(app.test_client(), "per", "et-helt-nytt-passord")
