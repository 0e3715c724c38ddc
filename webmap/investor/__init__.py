"""'Invester i <kommune>': the site catalogue, fact sheets, comparison, exports, interest form.

Every page exists in bokmål and under /en/ (webmap.routes); `link()` picks the right one for
the request.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from webmap.database import get_settings
from webmap.routes import localized_url

bp = Blueprint("investor", __name__)

__all__ = ["OPENAPI", "bp", "link"]


def link(name: str, lang: str | None = None, **values: Any) -> str:
    """The URL of an investor page in the request's language (or `lang`)."""
    return localized_url(f"investor.{name}", lang, **values)


@bp.app_context_processor
def investor_helpers() -> dict[str, Any]:
    """The nav label and `investor_link` for every template."""
    return {"kommune_name": get_settings().kommune.name, "investor_link": link}


from webmap.investor import exports, interest, pdf, templating, views  # noqa: E402, F401
from webmap.investor.openapi_part import OPENAPI  # noqa: E402
