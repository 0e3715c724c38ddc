"""The planner's messages kept in the core (gis/planner, marked N_) have English translations,
as the web app's own texts do (tests/webmap/test_i18n.py)."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir

from gis.config import PROJECT_ROOT
from tests.webmap.test_i18n import _english_catalog


def test_every_planner_message_in_the_core_has_an_english_translation() -> None:
    catalog = _english_catalog()
    found = [message for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT / "gis" / "planner"), [("**.py", "python")])]
    assert found
    assert {msgid for msgid in found if not catalog.get(msgid)} == set()
