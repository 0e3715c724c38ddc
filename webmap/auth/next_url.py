"""Where to go after sign-in: only a path on this site, whatever tricks the link tries."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

# Percent-decoding rounds checked: a proxy or a later redirect may decode once more.
_DECODE_ROUNDS = 3


def _without_invisibles(text: str) -> str:
    """Drop control, format and whitespace characters: browsers drop tabs and newlines inside
    URLs, so "/\\t/evil.example" would otherwise become "//evil.example"."""
    return "".join(ch for ch in text
                   if not ch.isspace() and unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"})


def _is_local_path(candidate: str) -> bool:
    if not candidate.startswith("/") or candidate.startswith("//") or "\\" in candidate:
        return False
    parts = urlsplit(candidate)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None) -> str | None:
    """The normalised `next` target if it is a path on this site, else None."""
    if not target:
        return None
    normalised = _without_invisibles(target)
    decoded = normalised
    for _round in range(_DECODE_ROUNDS):
        if not _is_local_path(decoded):
            return None
        decoded = _without_invisibles(unquote(decoded))
    return normalised if _is_local_path(decoded) else None
