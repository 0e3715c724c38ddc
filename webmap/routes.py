"""Pages in two languages: bokmål at its own URL, English at its twin under /en/.

A view registered with `bilingual_route` answers at both URLs as two endpoints: the bokmål one
named after the view (or `endpoint`), the English one the same name with `_en`. A link in
either language is then `localized_url(endpoint, lang)`, and the language switch of any page is
`other_language_url()`, without a table of URL pairs per feature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, current_app, request, url_for

from webmap.i18n import current_language

ENGLISH_SUFFIX = "_en"
ENGLISH_PREFIX = "/en/"
View = TypeVar("View", bound=Callable[..., Any])


def bilingual_route(
    bp: Blueprint, nb_rule: str, en_rule: str, *, endpoint: str | None = None, **options: Any
) -> Callable[[View], View]:
    """Register the view under its bokmål rule and its English rule (which starts with /en/)."""
    if not en_rule.startswith(ENGLISH_PREFIX):
        raise ValueError(f"the English rule {en_rule!r} must start with {ENGLISH_PREFIX}")

    def decorator(view: View) -> View:
        name = endpoint or view.__name__
        bp.add_url_rule(nb_rule, name, view, **options)
        bp.add_url_rule(en_rule, name + ENGLISH_SUFFIX, view, **options)
        return view

    return decorator


def localized_url(endpoint: str, lang: str | None = None, **values: Any) -> str:
    """The URL of a bokmål endpoint's page in the request's language (or `lang`)."""
    lang = lang or current_language()
    return url_for(endpoint + (ENGLISH_SUFFIX if lang == "en" else ""), **values)


def other_language_url(*, with_query: bool = True) -> str | None:
    """This page in the other language (with the same query string unless told otherwise), or
    None when the page was not registered with `bilingual_route`."""
    endpoint = request.endpoint or ""
    nb_endpoint = endpoint.removesuffix(ENGLISH_SUFFIX)
    twins = current_app.view_functions
    if nb_endpoint not in twins or nb_endpoint + ENGLISH_SUFFIX not in twins:
        return None
    other = "nb" if current_language() == "en" else "en"
    url = localized_url(nb_endpoint, other, **(request.view_args or {}))
    query = request.query_string.decode("utf-8", "replace")
    return f"{url}?{query}" if query and with_query else url
