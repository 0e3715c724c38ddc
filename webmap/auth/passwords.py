"""Password policy and hashing: argon2id, at least 12 characters, no common passwords."""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so both paths cost the same time.

    Made on first use: hashing at import would cost every CLI command a tenth of a second.
    """
    return _HASHER.hash("naeringskart-dummy-password")


class PasswordPolicyError(ValueError):
    """A password that the policy refuses, with the reason."""


@cache
def common_passwords() -> frozenset[str]:
    """The 3,000 most common passwords (see common_passwords.txt for the source)."""
    text = resources.files("webmap.auth").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def check_policy(password: str, username: str = "") -> None:
    """Raise PasswordPolicyError unless the password is long enough and not a common one."""
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(f"the password must have at least {MIN_LENGTH} characters")
    if password.lower() in common_passwords():
        raise PasswordPolicyError("the password is one of the 3,000 most common passwords")
    if username and username.lower() in password.lower():
        raise PasswordPolicyError("the password must not contain the username")


def hash_password(password: str) -> str:
    """An argon2id hash with the library's current parameters."""
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; unknown users cost as much time as known ones."""
    try:
        return _HASHER.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(password_hash)
