"""English planner URLs: the same pages under /en/planner with the path's words in English
(/en/planner/leads/3, not /en/planner/henvendelser/3).

The blueprints are written with Norwegian paths; registering one with `path_words` rewrites each
literal word of its rules (a word before a file extension too: henvendelser.csv → leads.csv).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint
from flask.blueprints import BlueprintSetupState
from flask.sansio.app import App

ENGLISH_WORDS = {
    "kart": "map",
    "arealer": "sites",
    "gjenopprett": "restore",
    "verifiser": "verify",
    "arkiver": "archive",
    "arealregnskap": "accounting",
    "henvendelser": "leads",
    "tildel": "assign",
    "besvart": "answered",
    "slett": "delete",
    "notat": "note",
    "opplasting": "upload",
    "bruk": "apply",
    "forkast": "discard",
    "mal": "template",
    "lokaler": "premises",
    "bygninger": "buildings",
    "sok": "search",
    "planlagt-bruk": "planned-use",
    "indikatorer": "indicators",
    "brukere": "users",
    "deaktiver": "disable",
    "logg-inn": "sign-in",
    "logg-ut": "sign-out",
}
# Query parameters of planner pages, by language.
EDIT_PARAMETER = {"nb": "rediger", "en": "edit"}


def query_in_language(query: str, source: str, target: str) -> str:
    """A planner page's query string with its parameter names in the `target` language."""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(EDIT_PARAMETER[target] if name == EDIT_PARAMETER[source] else name, value)
                      for name, value in pairs])


def translate_path(rule: str, words: dict[str, str]) -> str:
    """The rule with each literal path word replaced ('<int:id>' and unknown words stay)."""
    parts = []
    for part in rule.split("/"):
        if "<" in part and "." not in part:
            parts.append(part)
            continue
        stem, dot, rest = part.partition(".")
        parts.append(words.get(stem, stem) + dot + rest)
    return "/".join(parts)


class _LocalisedSetupState(BlueprintSetupState):
    def add_url_rule(
        self, rule: str, endpoint: str | None = None, view_func: Any = None, **options: Any
    ) -> None:
        words = self.options.get("path_words")
        super().add_url_rule(translate_path(rule, words) if words else rule, endpoint, view_func, **options)


class LocalisedBlueprint(Blueprint):
    """A blueprint whose rules are translated when registered with path_words={...}."""

    def make_setup_state(
        self, app: App, options: dict[str, Any], first_registration: bool = False
    ) -> BlueprintSetupState:
        return _LocalisedSetupState(self, app, options, first_registration)
