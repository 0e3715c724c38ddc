"""Password policy and hashing: argon2id; at least 12 characters, no common password, no
repetition or sequence, nothing about the account or the kommune, and a zxcvbn strength
score of at least 3 ("safely unguessable" against online attacks)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from itertools import pairwise

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MIN_STRENGTH = 3
# zxcvbn's matching grows fast with length; the first characters decide the score anyway.
_STRENGTH_PREFIX = 100
# Words every guesser of this app's accounts tries first.
APP_WORDS = ("naeringskart", "næringskart", "kommune", "planlegger", "planner")
_HASHER = PasswordHasher()
# Digits and punctuation people put around a word to satisfy a policy ("password1234!").
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


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
    text = resources.files("gis.accounts").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def _is_common(lowered: str) -> bool:
    bare = _DECORATION.sub("", lowered)
    return lowered in common_passwords() or (len(bare) >= 4 and bare in common_passwords())


def _is_repetition(lowered: str) -> bool:
    """"aaaaaaaaaaaa", "abcabcabcabc", twelve spaces: one short unit over and over."""
    return any(len(lowered) % size == 0 and lowered == lowered[:size] * (len(lowered) // size)
               for size in range(1, len(lowered) // 2 + 1))


def _step(before: str, after: str) -> int:
    if before.isdigit() and after.isdigit():
        return {1: 1, 9: -1}.get((int(after) - int(before)) % 10, 0)  # 9 → 0 goes on counting
    return ord(after) - ord(before)


def _is_sequence(lowered: str) -> bool:
    """"123456789012", "abcdefghijkl", "987654321098": each character one step from the last."""
    steps = {_step(before, after) for before, after in pairwise(lowered)}
    return steps in ({1}, {-1})


def _personal_words(names: Iterable[str]) -> list[str]:
    """The account's and kommune's names and their words, as guessers would try them."""
    words: list[str] = []
    for name in names:
        lowered = name.strip().lower()
        if len(lowered) >= 3:
            words.append(lowered)
        words.extend(part for part in re.split(r"[\W_]+", lowered) if len(part) >= 3)
    return list(dict.fromkeys(words))


def check_policy(password: str, username: str = "", *, display_name: str = "",
                 kommune_name: str = "") -> None:
    """Raise PasswordPolicyError with the reason unless the password is strong enough."""
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(f"the password must have at least {MIN_LENGTH} characters")
    lowered = password.lower()
    if _is_common(lowered):
        raise PasswordPolicyError("the password is (or is built on) one of the 3,000 most "
                                  "common passwords")
    if _is_repetition(lowered) or _is_sequence(lowered):
        raise PasswordPolicyError("the password is a repetition or a sequence of characters")
    personal = _personal_words([username, display_name, kommune_name])
    for word in personal:
        if word in lowered:
            raise PasswordPolicyError(f"the password must not contain {word!r} (the username, "
                                      "the person's name or the kommune's name)")
    verdict = zxcvbn(password[:_STRENGTH_PREFIX], user_inputs=[*personal, *APP_WORDS])
    if int(verdict["score"]) < MIN_STRENGTH:
        hint = verdict["feedback"].get("warning") or "it is too easy to guess"
        raise PasswordPolicyError(
            f"the password is too weak ({hint.rstrip('.')}); use a longer phrase of "
            "uncommon words, e.g. four random words")


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
