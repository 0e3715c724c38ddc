"""The map page, in bokmål at / and English at /en/."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, current_app, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from layers import Layer, overlay_layers
from webmap.database import get_settings
from webmap.i18n import current_language
from webmap.map.background import local_background
from webmap.map.builder import KEY_PLACEHOLDER, PopupLink, build_map
from webmap.map.controls import controls_config
from webmap.routes import bilingual_route
from webmap.security import csp_nonce
from webmap.tiles.pools import with_read_tile_connection
from webmap.tiles.versions import layer_versions, tile_url_template

bp = Blueprint("pages", __name__)


def _fact_sheet_links(layers: Sequence[Layer]) -> dict[str, PopupLink]:
    """Every layer of sites links its popups to the site's fact sheet in the page's language."""
    from webmap.investor import link

    url = link("site", site_key=KEY_PLACEHOLDER)
    return {
        layer.id: PopupLink("site_key", url, _("Åpne faktaark"))
        for layer in layers
        if layer.delivery == "geojson" and "site_key" in layer.properties
    }


@bilingual_route(bp, "/", "/en/")
def map_page() -> str:
    """The full-screen map with every registry layer."""
    lang = current_language()
    kommune = get_settings().kommune
    versions = with_read_tile_connection(layer_versions)
    parts = build_map(
        layers=overlay_layers(),
        lang=lang,
        centre=(kommune.map.centre_lat, kommune.map.centre_lon),
        zoom=kommune.map.zoom,
        static_url=lambda path: url_for("static", filename=path),
        features_url=lambda layer_id: url_for("api.layer_features", layer_id=layer_id),
        nonce=csp_nonce(),
        tile_urls={layer_id: tile_url_template(layer_id, version) for layer_id, version in versions.items()},
        controls=controls_config(overlay_layers(), lang, kommune),
        popup_links=_fact_sheet_links(overlay_layers()),
        background=local_background(),
    )
    return render_template("map.html", map_parts=parts, kommune=kommune, layers=overlay_layers())


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico before reading the page's icon link: the same SVG icon."""
    return send_from_directory(
        str(current_app.static_folder), "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )
