"""A text in bokmål and English: the one bilingual label type of gis, layers and the web app."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A text in bokmål and English."""

    nb: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.nb
