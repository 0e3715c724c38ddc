"""'Invester i <kommune>': the site catalogue, fact sheets, comparison, exports, interest form.

Every page exists in bokmål and under /en/; `link()` picks the right one for the request.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, url_for

from webmap.database import get_settings
from webmap.i18n import current_language

bp = Blueprint("investor", __name__)

__all__ = ["OPENAPI", "bp", "link", "other_language_link", "route"]

# Endpoint -> (bokmål rule, English rule).
ROUTES: dict[str, tuple[str, str]] = {
    "catalogue": ("/investor", "/en/investor"),
    "site": ("/investor/tomt/<site_key>", "/en/investor/site/<site_key>"),
    "site_pdf": ("/investor/tomt/<site_key>/pdf", "/en/investor/site/<site_key>/pdf"),
    "compare": ("/investor/sammenlign", "/en/investor/compare"),
    "interest": ("/investor/meld-interesse", "/en/investor/interest"),
    "interest_sent": ("/investor/meld-interesse/takk", "/en/investor/interest/thanks"),
    "export": ("/investor/eksport.<fmt>", "/en/investor/export.<fmt>"),
}


def route(name: str, **options: Any) -> Any:
    """Register a view under its bokmål and English rule."""

    def decorator(view: Any) -> Any:
        nb_rule, en_rule = ROUTES[name]
        bp.add_url_rule(nb_rule, name, view, **options)
        bp.add_url_rule(en_rule, f"{name}_en", view, **options)
        return view

    return decorator


def link(name: str, lang: str | None = None, **values: Any) -> str:
    """The URL of a page in the request's language (or `lang`)."""
    lang = lang or current_language()
    return url_for(f"investor.{name}{'_en' if lang == 'en' else ''}", **values)


def other_language_link() -> str:
    """This page in the other language, with the same query string."""
    endpoint = (request.endpoint or "").removeprefix("investor.")
    base = endpoint.removesuffix("_en")
    other = "nb" if current_language() == "en" else "en"
    url = link(base, other, **(request.view_args or {}))
    query = request.query_string.decode()
    return f"{url}?{query}" if query else url


@bp.app_context_processor
def investor_helpers() -> dict[str, Any]:
    """The nav label and `investor_link` for every template."""
    return {"kommune_name": get_settings().kommune.name, "investor_link": link}


from webmap.investor import exports, interest, pdf, templating, views  # noqa: E402, F401
from webmap.investor.openapi_part import OPENAPI  # noqa: E402
