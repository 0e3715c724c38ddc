"""Every text in templates and Python has an English translation."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from webmap.i18n import TRANSLATIONS_ROOT

METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


def _english_catalog() -> dict[str, str]:
    merged: dict[str, str] = {}
    for po_path in TRANSLATIONS_ROOT.glob("*/en/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as handle:
            for message in read_po(handle):
                if message.id:
                    merged[str(message.id)] = str(message.string)
    return merged


def test_every_message_has_an_english_translation() -> None:
    from gis.config import PROJECT_ROOT

    catalog = _english_catalog()
    missing = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(PROJECT_ROOT / "webmap"), METHOD_MAP):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid and not catalog.get(msgid):
                missing.add(msgid)
    assert missing == set()


def test_language_switch_links_both_ways(client: FlaskClient) -> None:
    nb = client.get("/").get_data(as_text=True)
    en = client.get("/en/").get_data(as_text=True)
    assert '<html lang="nb">' in nb and 'href="/en/"' in nb
    assert '<html lang="en">' in en and "Skip to main content" in en
    assert "Hopp til hovedinnholdet" in nb
