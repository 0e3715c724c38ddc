"""Pages in two languages: bokmål at its own URL, English at its twin under /en/.

A view registered with `bilingual_route` answers at both URLs as two endpoints: the bokmål one
named after the view (or `endpoint`), the English one the same name with `_en`. A blueprint
registered with `register_bilingual` is registered twice, the English copy named `<name>_en`
(`planner.leads` and `planner_en.leads`). Either way a link in either language is
`localized_url(endpoint, lang)`, and the language switch of any page is `other_language_url()`,
without a table of URL pairs per feature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Flask, current_app, request, url_for

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


def register_bilingual(
    app: Flask,
    bp: Blueprint,
    nb_prefix: str,
    en_prefix: str,
    *,
    english_options: dict[str, Any] | None = None,
    **options: Any,
) -> None:
    """Register every page of a blueprint in bokmål under `nb_prefix` and in English under
    `en_prefix` (as `<name>_en`, with `english_options` too, e.g. a blueprint's path words)."""
    if not en_prefix.startswith(ENGLISH_PREFIX):
        raise ValueError(f"the English prefix {en_prefix!r} must start with {ENGLISH_PREFIX}")
    app.register_blueprint(bp, url_prefix=nb_prefix, **options)
    app.register_blueprint(
        bp, url_prefix=en_prefix, name=bp.name + ENGLISH_SUFFIX, **options, **(english_options or {})
    )


def english_endpoint(endpoint: str) -> str | None:
    """The English twin of a bokmål endpoint (`x.view_en` or `x_en.view`), or None."""
    blueprint, dot, view = endpoint.rpartition(".")
    for twin in (endpoint + ENGLISH_SUFFIX, f"{blueprint}{ENGLISH_SUFFIX}{dot}{view}"):
        if dot and twin in current_app.view_functions:
            return twin
    return None


def bokmal_endpoint(endpoint: str) -> str | None:
    """The bokmål twin of an English endpoint, or None (also for a bokmål endpoint)."""
    blueprint, dot, view = endpoint.rpartition(".")
    for twin in (endpoint.removesuffix(ENGLISH_SUFFIX), f"{blueprint.removesuffix(ENGLISH_SUFFIX)}.{view}"):
        if dot and twin != endpoint and english_endpoint(twin) == endpoint:
            return twin
    return None


def localized_url(endpoint: str, lang: str | None = None, **values: Any) -> str:
    """The URL of a bokmål endpoint's page in the request's language (or `lang`)."""
    if (lang or current_language()) == "en":
        endpoint = english_endpoint(endpoint) or endpoint + ENGLISH_SUFFIX
    return url_for(endpoint, **values)


def other_language_url(*, with_query: bool = True) -> str | None:
    """This page in the other language (with the same query string unless told otherwise), or
    None when the page has no twin."""
    endpoint = request.endpoint or ""
    twin = bokmal_endpoint(endpoint) or english_endpoint(endpoint)
    if twin is None:
        return None
    url = url_for(twin, **(request.view_args or {}))
    query = request.query_string.decode("utf-8", "replace")
    return f"{url}?{query}" if query and with_query else url
