"""Bokmål/English URL pairs: a view's twin rules and a blueprint's twin registration both give
links in either language and a language switch to the same page."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask

from webmap.routes import bilingual_route, localized_url, other_language_url, register_bilingual


def _app() -> Flask:
    app = Flask(__name__)
    pages = Blueprint("pages", __name__)

    @bilingual_route(pages, "/tomt/<key>", "/en/site/<key>")
    def site(key: str) -> str:
        return f"{localized_url('pages.site', key=key)} {other_language_url()}"

    workspace = Blueprint("workspace", __name__)

    @workspace.get("/henvendelser")
    def leads() -> str:
        return f"{localized_url('workspace.leads')} {other_language_url(with_query=False)}"

    app.register_blueprint(pages)
    register_bilingual(app, workspace, "/arbeid", "/en/work")
    return app


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/tomt/a1?x=1", "/tomt/a1 /en/site/a1?x=1"),
        ("/en/site/a1?x=1", "/en/site/a1 /tomt/a1?x=1"),
        ("/arbeid/henvendelser?x=1", "/arbeid/henvendelser /en/work/henvendelser"),
        ("/en/work/henvendelser", "/en/work/henvendelser /arbeid/henvendelser"),
    ],
)
def test_a_page_links_in_its_language_and_to_its_twin(path: str, shown: str) -> None:
    assert _app().test_client().get(path).get_data(as_text=True) == shown


def test_a_page_without_a_twin_has_no_other_language_url() -> None:
    app = _app()

    @app.get("/bare")
    def bare() -> str:
        return repr(other_language_url())

    assert app.test_client().get("/bare").get_data(as_text=True) == "None"


def test_an_english_rule_must_live_under_en() -> None:
    with pytest.raises(ValueError, match="/en/"):
        bilingual_route(Blueprint("x", __name__), "/a", "/english/a")
