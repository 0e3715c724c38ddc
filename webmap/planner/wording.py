"""The core's messages for planners (gis.planner.messages) in the page's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext

from gis.planner.messages import Message
from gis.text import Text
from webmap.i18n import current_language


def words(message: Message) -> str:
    """One message, translated and filled in."""
    if message.literal:
        return message.text
    lang = current_language()
    return gettext(
        message.text,
        **{name: value(lang) if isinstance(value, Text) else value for name, value in message.params.items()},
    )


def all_words(messages: Iterable[Message]) -> list[str]:
    """Several messages, in order."""
    return [words(message) for message in messages]


def stored_words(stored: dict[str, Any] | str) -> str:
    """A message kept in JSON (a bulk preview's reasons) in the current language; older
    previews stored plain text."""
    if isinstance(stored, str):
        return stored
    return gettext(stored["message"], **stored["params"])
