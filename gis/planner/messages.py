"""Messages for planners as data: the bokmål text (also the key of its translation) and its
values. The web app words them in the page's language; the core never translates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Message:
    """A message and the values it names (`%(name)s` placeholders); a value may be a bilingual
    `gis.text.Text`, worded in the page's language."""

    text: str
    params: dict[str, Any] = field(default_factory=dict)
    # A text from elsewhere (a reader's error), shown as it is.
    literal: bool = False

    def stored(self) -> dict[str, Any]:
        """The message as JSON keeps it (a bulk upload's reasons are stored with the preview)."""
        return {"message": self.text, "params": self.params}


def say(text: str, **params: Any) -> Message:
    """A message (the text is marked for translation by the caller's N_)."""
    return Message(text, params)


class Problems(ValueError):
    """A change that cannot be saved; `problems` say why."""

    def __init__(self, problems: list[Message]) -> None:
        super().__init__("; ".join(p.text for p in problems))
        self.problems = problems
