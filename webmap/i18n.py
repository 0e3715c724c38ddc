"""Languages: bokmål at /, English under /en/ (Flask-Babel, one catalog per feature area).

Message ids are the bokmål texts; each feature keeps its English catalog in
webmap/translations/<area>/en/LC_MESSAGES/messages.po, and Flask-Babel merges them.
The .mo files are compiled from the .po files when the app starts (they are not committed).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, request
from flask_babel import Babel

LANGUAGES = ("nb", "en")
TRANSLATIONS_ROOT = Path(__file__).resolve().parent / "translations"


def current_language() -> str:
    """'en' under /en/ (or ?lang=en on the API), else 'nb'."""
    if not has_request_context():
        return "nb"
    if request.path == "/en" or request.path.startswith("/en/"):
        return "en"
    return "en" if request.args.get("lang") == "en" else "nb"


def translation_directories() -> list[Path]:
    """One directory per feature area."""
    return sorted(path for path in TRANSLATIONS_ROOT.iterdir() if path.is_dir())


def compile_catalogs() -> None:
    """Compile every .po to .mo when the .mo is missing or older."""
    for po_path in TRANSLATIONS_ROOT.glob("*/*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog)


def init_app(app: Flask) -> None:
    """Flask-Babel with our locale selector and catalogs."""
    compile_catalogs()
    app.config["BABEL_DEFAULT_LOCALE"] = "nb"
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(
        str(path) for path in translation_directories())
    Babel(app, locale_selector=current_language)

    @app.context_processor
    def language_helpers() -> dict[str, object]:
        lang = current_language()
        return {"lang": lang, "lang_prefix": "/en" if lang == "en" else ""}


if __name__ == "__main__":
    compile_catalogs()
