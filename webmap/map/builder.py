"""Folium assembles the map; data is fetched by the browser, never embedded."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from folium.map import Layer as FoliumLayer
from folium.template import Template

from layers import Layer
from layers.base import LIST_GROUPS

KARTVERKET_ATTRIBUTION = '&copy; <a href="https://www.kartverket.no/">Kartverket</a>'
BASEMAPS = (
    ("topo", "Kartverket topografisk", "Kartverket topographic"),
    ("topograatone", "Kartverket gråtone", "Kartverket greyscale"),
)
KARTVERKET_TILES = (
    "https://cache.kartverket.no/v1/wmts/1.0.0/{name}/default/webmercator/{{z}}/{{y}}/{{x}}.png"
)


@dataclass(frozen=True)
class PopupLink:
    """A link in every popup of a layer to a page about the feature (e.g. a site's fact sheet)."""

    column: str
    # The page's URL with KEY_PLACEHOLDER where the feature's (URL-encoded) value goes.
    url: str
    label: str

    def options(self) -> dict[str, str]:
        """What static/js/naeringskart.js reads."""
        return {"column": self.column, "url": self.url, "placeholder": KEY_PLACEHOLDER, "label": self.label}


KEY_PLACEHOLDER = "__nk_key__"


def popup_options(layer: Layer, lang: str) -> list[dict[str, Any]]:
    """The popup's fields for static/js/naeringskart.js: column, label and value texts."""
    # The value texts as a JSON string: folium camelCases option keys (straight_line_detour).
    return [
        {
            "column": p.column,
            "label": p.label(lang),
            "values": json.dumps({value: text(lang) for value, text in p.values}),
            "hideUnknown": p.hide_unknown,
        }
        for p in layer.popup
        if p.only_lang in (None, lang)
    ]


def layer_options(layer: Layer, url: str, lang: str) -> dict[str, Any]:
    """What naeringskart.js needs of a layer, whichever way it is delivered."""
    return {
        "id": layer.id,
        "url": url,
        "lang": lang,
        "title": layer.title(lang),
        "style": layer.style,
        # As a JSON string: folium camelCases the keys of option dicts, which turned rule
        # conditions on snake_case properties (year_class) into ones that never match.
        "styleRules": json.dumps(layer.style_rules),
        "minZoom": layer.min_zoom,
        "labelColumn": layer.label_column or "",
        "popup": popup_options(layer, lang),
    }


class BboxGeoJsonLayer(FoliumLayer):
    """A layer that asks the features API for what is in view after every pan and zoom."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = Naeringskart.bboxLayer(
            {{ this._parent.get_name() }}, {{ this.options|tojavascript }});
        {% endmacro %}
    """)

    def __init__(self, layer: Layer, url: str, lang: str, link: PopupLink | None = None) -> None:
        super().__init__(name=layer.title(lang), overlay=True, control=True, show=layer.show)
        self._name = "BboxGeoJsonLayer"
        self.options = {**layer_options(layer, url, lang), "link": link.options() if link else None}


class VectorTileLayer(FoliumLayer):
    """A big layer drawn from our /tiles endpoint with Leaflet.VectorGrid (vendored, no CDN)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = Naeringskart.tileLayer(
            {{ this._parent.get_name() }}, {{ this.options|tojavascript }});
        {% endmacro %}
    """)

    def __init__(self, layer: Layer, url: str, lang: str) -> None:
        super().__init__(name=layer.title(lang), overlay=True, control=True, show=layer.show)
        self._name = "VectorTileLayer"
        self.options = {
            **layer_options(layer, url, lang),
            # Tiles above zoom 18 are the zoom-18 tiles scaled: fewer requests, same detail.
            "maxNativeZoom": min(layer.max_zoom, 18),
        }


class LayerList(folium.MacroElement):
    """The layer control: basemaps, then the layers by group (background, plans, sites,
    analyses); collapsed to a button on narrow screens, so the map stays visible."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control.layers(
            { {%- for title, name in this.base_layers %}{{ title|tojson }}: {{ name }},{% endfor %} },
            { {%- for title, name in this.overlays %}{{ title|tojson }}: {{ name }},{% endfor %} },
            {position: "topright", autoZIndex: true, collapsed: Naeringskart.narrowScreen()}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, base_layers: Sequence[tuple[str, str]], overlays: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._name = "LayerList"
        self.base_layers = list(base_layers)
        self.overlays = list(overlays)


def listed_order(layers: Sequence[Layer]) -> list[Layer]:
    """The layers as the layer control lists them: by group, then drawing order."""
    return sorted(layers, key=lambda layer: (LIST_GROUPS.index(layer.group), layer.order, layer.id))


class MapControls(folium.MacroElement):
    """Search, fullscreen, locate, measure, legend and the URL state (static/js/nk-controls.js)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        Naeringskart.controls({{ this._parent.get_name() }}, {{ this.config|tojavascript }});
        {% endmacro %}
    """)

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        self._name = "MapControls"
        self.config = config


class MapRegistration(folium.MacroElement):
    """Makes the map reachable for page scripts and watches the basemap for failures."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        Naeringskart.maps.push({{ this._parent.get_name() }});
        {% for tiles in this.basemaps %}
        Naeringskart.watchBasemap({{ this._parent.get_name() }}, {{ tiles }}, "basemap-offline",
                                  {{ this.background|tojson }});
        {% endfor %}
        {% endmacro %}
    """)

    def __init__(self, basemaps: Sequence[str], background: Sequence[dict[str, Any]]) -> None:
        super().__init__()
        self._name = "MapRegistration"
        self.basemaps = list(basemaps)
        self.background = list(background)


@dataclass(frozen=True)
class MapParts:
    """Folium's rendered components, placed into our own page template."""

    header: str
    html: str
    script: str


_VIEWPORT_META = re.compile(r"<meta name=\"viewport\"[^>]*>", re.DOTALL)


def _without_zoom_lock(header: str) -> str:
    """Folium's viewport meta forbids pinch zoom (WCAG 1.4.4); our page has its own."""
    return _VIEWPORT_META.sub("", header)


def _with_nonce(html: str, nonce: str) -> str:
    """Folium writes bare inline <script> tags; the CSP only runs them with our nonce."""
    return re.sub(r"<script(?![^>]*\bsrc=)", f'<script nonce="{nonce}"', html)


VENDOR_JS = (
    ("leaflet", "vendor/leaflet/dist/leaflet.js"),
    ("vectorgrid", "vendor/leaflet.vectorgrid/Leaflet.VectorGrid.bundled.min.js"),
    ("fullscreen", "vendor/leaflet.fullscreen/Control.FullScreen.umd.js"),
    ("locate", "vendor/leaflet.locatecontrol/L.Control.Locate.min.js"),
    ("measure", "vendor/leaflet.polylinemeasure/Leaflet.PolylineMeasure.js"),
    ("naeringskart", "js/naeringskart.js"),
    ("local_background", "js/local-background.js"),
    ("nk_controls", "js/nk-controls.js"),
)
VENDOR_CSS = (
    ("leaflet_css", "vendor/leaflet/dist/leaflet.css"),
    ("fullscreen_css", "vendor/leaflet.fullscreen/Control.FullScreen.css"),
    ("locate_css", "vendor/leaflet.locatecontrol/L.Control.Locate.min.css"),
    ("measure_css", "vendor/leaflet.polylinemeasure/Leaflet.PolylineMeasure.css"),
)


def build_map(
    *,
    layers: Sequence[Layer],
    lang: str,
    centre: tuple[float, float],
    zoom: int,
    static_url: Callable[[str], str],
    features_url: Callable[[str], str],
    nonce: str,
    tile_urls: dict[str, str] | None = None,
    controls: dict[str, Any] | None = None,
    popup_links: dict[str, PopupLink] | None = None,
    background: Sequence[dict[str, Any]] | None = None,
) -> MapParts:
    """The map with basemaps, every registry layer, the layer control and our controls."""
    fmap = folium.Map(
        location=list(centre), zoom_start=zoom, tiles=None, control_scale=True, prefer_canvas=False
    )
    # Leaflet and its plugins come from static/vendor, never from a CDN.
    fmap.default_js = [(name, static_url(path)) for name, path in VENDOR_JS]
    fmap.default_css = [(name, static_url(path)) for name, path in VENDOR_CSS]
    basemap_names = []
    base_entries = []
    for index, (name, title_nb, title_en) in enumerate(BASEMAPS):
        tiles = folium.TileLayer(
            tiles=KARTVERKET_TILES.format(name=name),
            attr=KARTVERKET_ATTRIBUTION,
            name=title_en if lang == "en" else title_nb,
            max_zoom=20,
            max_native_zoom=18,
            show=index == 0,
            overlay=False,
            control=True,
        )
        tiles.add_to(fmap)
        basemap_names.append(tiles.get_name())
        base_entries.append((tiles.layer_name, tiles.get_name()))
    overlays: dict[str, FoliumLayer] = {}
    for layer in layers:
        if layer.delivery == "geojson":
            overlays[layer.id] = BboxGeoJsonLayer(
                layer, features_url(layer.id), lang, (popup_links or {}).get(layer.id)
            )
        elif tile_urls and layer.id in tile_urls:
            overlays[layer.id] = VectorTileLayer(layer, tile_urls[layer.id], lang)
        if layer.id in overlays:
            overlays[layer.id].add_to(fmap)
    LayerList(
        base_entries,
        [
            (layer.title(lang), overlays[layer.id].get_name())
            for layer in listed_order(layers)
            if layer.id in overlays
        ],
    ).add_to(fmap)
    MapRegistration(basemap_names, background or []).add_to(fmap)
    if controls is not None:
        MapControls(controls).add_to(fmap)
    root: Any = fmap.get_root()
    root.render()
    return MapParts(
        header=_with_nonce(_without_zoom_lock(root.header.render()), nonce),
        html=_with_nonce(root.html.render(), nonce),
        script=root.script.render(),
    )
