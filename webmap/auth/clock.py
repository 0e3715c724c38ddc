"""The one place sign-in code reads the time from: throttling and TOTP steps use it, and
tests put a controlled clock here instead of sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, current_app

Clock = Callable[[], datetime]
_EXTENSION = "naeringskart.auth_clock"


def system_clock() -> datetime:
    """The wall clock, timezone-aware."""
    return datetime.now(UTC)


def set_clock(app: Flask, clock: Clock) -> None:
    """Make the app read the time from `clock` (tests)."""
    app.extensions[_EXTENSION] = clock


def now() -> datetime:
    """The current time for the running app."""
    clock: Clock = current_app.extensions.get(_EXTENSION, system_clock)
    return clock()
