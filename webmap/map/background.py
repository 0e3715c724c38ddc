"""What static/js/local-background.js needs to draw the local background of a map."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, url_for

from layers import background_layers


def local_background() -> list[dict[str, Any]]:
    """Per background layer: its features URL, style and rules (as JSON text) and zoom floor."""
    return [
        {
            "id": layer.id,
            "url": url_for("api.layer_features", layer_id=layer.id),
            "style": layer.style,
            "styleRules": json.dumps(layer.style_rules),
            "minZoom": layer.min_zoom,
        }
        for layer in background_layers()
    ]


def init_app(app: Flask) -> None:
    """`local_background()` for templates whose maps draw their own basemap (fact sheets)."""
    app.jinja_env.globals["local_background"] = local_background
