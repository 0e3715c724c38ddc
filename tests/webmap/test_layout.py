"""The web app's house rules: one way to do each thing (headers, .sql files, bilingual routes),
the tile fast path apart. Size and SQL rules for every package are in tests/test_project.py."""

from __future__ import annotations

import ast
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from gis.config import PROJECT_ROOT

WEBMAP = PROJECT_ROOT / "webmap"
HEADER_NAMES = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Strict-Transport-Security",
)


def _modules() -> list[Path]:
    return sorted(WEBMAP.rglob("*.py"))


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_security_headers_are_written_in_one_place() -> None:
    writers = {
        str(path.relative_to(PROJECT_ROOT))
        for path in _modules()
        for text in _strings(path)
        if text in HEADER_NAMES
    }
    assert writers == {"webmap/security.py"}


def test_sql_files_are_read_only_through_the_shared_reader() -> None:
    readers = {
        str(path.relative_to(PROJECT_ROOT))
        for path in WEBMAP.rglob("*.py")
        if any(text.endswith(".sql") for text in _strings(path))
        and "gis.sqlfile" not in path.read_text(encoding="utf-8")
    }
    assert readers == set()


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return found


def test_the_tile_package_does_not_import_its_fast_path() -> None:
    """create_app installs the fast path; the tiles it serves know nothing of it."""
    importers = {
        str(path.relative_to(PROJECT_ROOT))
        for path in (WEBMAP / "tiles").glob("*.py")
        if "webmap.tiles.fastpath" in _imported_modules(path)
    }
    assert importers == set()
    assert "webmap.tiles.fastpath" in _imported_modules(WEBMAP / "__init__.py")


def test_a_tile_is_answered_by_the_fast_path_with_the_shared_headers(client: FlaskClient) -> None:
    from webmap.security import DATA_CSP, SECURITY_HEADERS

    tile = client.get("/tiles/buildings/14/8681/4764.mvt")
    page = client.get("/")
    assert tile.status_code in (200, 204)
    # Flask would have given the tile the pages' CSP: this one comes from the fast path.
    assert tile.headers["Content-Security-Policy"] == DATA_CSP
    for name, value in SECURITY_HEADERS:
        assert tile.headers[name] == page.headers[name] == value


def test_every_english_page_has_a_bokmal_twin(demo_app: Flask, client: FlaskClient) -> None:
    """Each /en/ URL of the map, indicators, site finder and investor pages is registered with
    its bokmål twin, and the page's language switch leads there."""
    english = [
        rule
        for rule in demo_app.url_map.iter_rules()
        if rule.rule.startswith("/en/") and not rule.endpoint.startswith(("planner", "planner_"))
    ]
    assert len(english) >= 10
    for rule in english:
        assert rule.endpoint.endswith("_en"), rule.rule
        assert rule.endpoint.removesuffix("_en") in demo_app.view_functions, rule.rule
    for en, nb in (("/en/find-site", "/finn-tomt"), ("/en/investor/compare", "/investor/sammenlign")):
        assert f'href="{nb}"' in client.get(en).get_data(as_text=True)
        assert f'href="{en}"' in client.get(nb).get_data(as_text=True)
