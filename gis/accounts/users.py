"""Accounts: created, disabled and reset from the command line; no self-registration."""

from __future__ import annotations

import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import psycopg
import pyotp

from gis.accounts.passwords import check_policy, hash_password

Role = Literal["planner", "admin"]
ROLES: tuple[Role, ...] = ("planner", "admin")


class AccountError(ValueError):
    """An account operation that cannot be done, with the reason."""


@dataclass(frozen=True)
class Account:
    """A stored account."""

    id: int
    username: str
    display_name: str
    role: str
    password_hash: str
    totp_secret: str | None
    active: bool


_SELECT = ("SELECT id, username, display_name, role, password_hash, totp_secret, active "
           "FROM app_user")


def find_account(conn: psycopg.Connection, username: str) -> Account | None:
    """The account with this username (case-insensitive), or None."""
    row = conn.execute(_SELECT + " WHERE lower(username) = lower(%s)", (username,)).fetchone()
    return Account(*row) if row else None


def list_accounts(conn: psycopg.Connection) -> list[Account]:
    """Every account, by username."""
    rows = conn.execute(_SELECT + " ORDER BY lower(username)").fetchall()
    return [Account(*row) for row in rows]


def add_account(conn: psycopg.Connection, username: str, password: str, *, role: Role,
                display_name: str | None = None, totp: bool = False,
                kommune_name: str = "", kommuner: Sequence[str] | None = None) -> Account:
    """Create an account; admins always get a TOTP secret. `kommuner` limits the planner to
    those kommuner of the instance (None: every one). Raises AccountError."""
    if kommuner is not None and not all(re.fullmatch(r"\d{4}", k) for k in kommuner):
        raise AccountError(f"kommuner must be four-digit kommunenummer, not {list(kommuner)}")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if not username.strip() or any(ch.isspace() for ch in username):
        raise AccountError("the username must be one word")
    try:
        check_policy(password, username, display_name=display_name or "",
                     kommune_name=kommune_name)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    if find_account(conn, username):
        raise AccountError(f"the username {username!r} is taken")
    secret = pyotp.random_base32() if totp or role == "admin" else None
    conn.execute(
        "INSERT INTO app_user (username, display_name, role, password_hash, totp_secret, "
        "kommuner) VALUES (%s, %s, %s, %s, %s, %s)",
        (username, display_name or username, role, hash_password(password), secret,
         list(kommuner) if kommuner is not None else None))
    return _require(conn, username)


def _require(conn: psycopg.Connection, username: str) -> Account:
    account = find_account(conn, username)
    if account is None:
        raise AccountError(f"no account {username!r}")
    return account


def disable_account(conn: psycopg.Connection, username: str) -> Account:
    """Disable an account and end all its sessions."""
    account = _require(conn, username)
    conn.execute("UPDATE app_user SET active = false WHERE id = %s", (account.id,))
    conn.execute("DELETE FROM web_session WHERE user_id = %s", (account.id,))
    return account


def reset_password(conn: psycopg.Connection, username: str, password: str, *,
                   kommune_name: str = "") -> Account:
    """Set a new password, re-enable the account and end all its sessions."""
    account = _require(conn, username)
    try:
        check_policy(password, account.username, display_name=account.display_name,
                     kommune_name=kommune_name)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    conn.execute("UPDATE app_user SET password_hash = %s, active = true, "
                 "password_changed_at = now() WHERE id = %s", (hash_password(password), account.id))
    conn.execute("DELETE FROM web_session WHERE user_id = %s", (account.id,))
    return _require(conn, username)


def update_hash(conn: psycopg.Connection, account_id: int, password: str) -> None:
    """Store a fresh hash (after a login with outdated hash parameters)."""
    conn.execute("UPDATE app_user SET password_hash = %s WHERE id = %s",
                 (hash_password(password), account_id))


def provisioning_uri(account: Account, issuer: str) -> str | None:
    """The otpauth:// URI an authenticator app reads (as a QR code or by hand)."""
    if not account.totp_secret:
        return None
    return pyotp.TOTP(account.totp_secret).provisioning_uri(name=account.username,
                                                            issuer_name=issuer)


def totp_step(account: Account, code: str, now: datetime) -> int | None:
    """The 30-second time step whose code this is (one step of clock drift allowed), or None."""
    if not account.totp_secret:
        return None
    totp = pyotp.TOTP(account.totp_secret)
    typed = code.strip().replace(" ", "")
    if len(typed) != totp.digits or not typed.isdigit():
        return None
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), typed):
            return step
    return None


def claim_totp_step(conn: psycopg.Connection, account_id: int, step: int) -> bool:
    """Mark the step used; False when it (or a later one) was used already: a replayed code."""
    claimed = conn.execute(
        "UPDATE app_user SET totp_last_step = %s WHERE id = %s "
        "AND (totp_last_step IS NULL OR totp_last_step < %s)", (step, account_id, step))
    return claimed.rowcount == 1
