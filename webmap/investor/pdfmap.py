"""The fact-sheet PDF's map: the site among zoning, buildings, stations and main-road junctions,
drawn to scale in the storage SRID's metres, with a scale bar and a north arrow."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fpdf import FPDF

# Round lengths a scale bar may show, in metres.
SCALE_STEPS_M = (20, 50, 100, 200, 250, 500, 1000, 2000, 5000)
SITE_RGB = ((179, 89, 0), (255, 204, 153))
POINT_STYLES: dict[str, tuple[tuple[int, int, int], float]] = {
    "building": ((90, 90, 90), 0.5),
    "stop": ((11, 92, 173), 0.9),
    "station": ((200, 16, 46), 1.3),
    "junction": ((255, 212, 0), 1.3),
}


def _rgb(hex_colour: str | None) -> tuple[int, int, int]:
    text = (hex_colour or "#cccccc").lstrip("#")
    if len(text) != 6:
        return (204, 204, 204)
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def _rings(geometry: dict[str, Any]) -> Iterable[list[list[float]]]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon
    elif geometry["type"] == "GeometryCollection":
        for part in geometry["geometries"]:
            yield from _rings(part)


def _lines(geometry: dict[str, Any]) -> Iterable[list[list[float]]]:
    if geometry["type"] == "LineString":
        yield geometry["coordinates"]
    elif geometry["type"] == "MultiLineString":
        yield from geometry["coordinates"]
    elif geometry["type"] == "GeometryCollection":
        for part in geometry["geometries"]:
            yield from _lines(part)


def scale_bar_length(metres_per_mm: float, longest_mm: float) -> int:
    """The longest round length that fits in `longest_mm` of paper."""
    fitting = [step for step in SCALE_STEPS_M if step / metres_per_mm <= longest_mm]
    return fitting[-1] if fitting else SCALE_STEPS_M[0]


def draw_site_map(
    pdf: FPDF, context: list[dict[str, Any]], x: float, y: float, size: float, text: Callable[[str], str]
) -> bool:
    """Draw the map in a square at (x, y); False when there is nothing to draw it from."""
    window = next((row["window_m"] for row in context if row.get("window_m")), None)
    if window is None:
        return False
    xs = [p[0] for ring in _rings(window) for p in ring]
    ys = [p[1] for ring in _rings(window) for p in ring]
    min_x, min_y = min(xs), min(ys)
    span = max(max(xs) - min_x, max(ys) - min_y) or 1.0
    mm_per_metre = size / span

    def at(point: list[float]) -> tuple[float, float]:
        return (x + (point[0] - min_x) * mm_per_metre, y + size - (point[1] - min_y) * mm_per_metre)

    pdf.set_fill_color(246, 246, 242)
    pdf.set_draw_color(90, 90, 90)
    pdf.rect(x, y, size, size, style="DF")
    pdf.set_line_width(0.1)
    for row in context:
        if row["kind"] == "zoning":
            pdf.set_fill_color(*_rgb(row["fill"]))
            pdf.set_draw_color(120, 120, 120)
            for ring in _rings(row["geometry_m"]):
                pdf.polygon([at(p) for p in ring], style="DF")
    pdf.set_draw_color(200, 60, 30)
    pdf.set_line_width(0.8)
    for row in context:
        if row["kind"] == "road":
            for line in _lines(row["geometry_m"]):
                pdf.polyline([at(p) for p in line])
    for row in context:
        if row["kind"] == "site":
            pdf.set_line_width(0.6)
            pdf.set_draw_color(*SITE_RGB[0])
            pdf.set_fill_color(*SITE_RGB[1])
            for ring in _rings(row["geometry_m"]):
                pdf.polygon([at(p) for p in ring], style="DF")
    pdf.set_line_width(0.2)
    for row in context:
        style = POINT_STYLES.get(row["kind"])
        if style is None or row["geometry_m"]["type"] != "Point":
            continue
        colour, radius = style
        px, py = at(row["geometry_m"]["coordinates"])
        pdf.set_fill_color(*colour)
        pdf.set_draw_color(30, 30, 30)
        pdf.circle(px, py, radius, style="DF")
    _north_arrow(pdf, x + size - 7, y + 2)
    _scale_bar(pdf, x + 3, y + size - 4, 1 / mm_per_metre, size * 0.4)
    _legend(pdf, x, y + size + 1.5, text)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_text_color(0, 0, 0)
    return True


def _north_arrow(pdf: FPDF, x: float, y: float) -> None:
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(60, 60, 60)
    pdf.rect(x - 1, y, 6, 9, style="DF")
    pdf.set_fill_color(26, 26, 26)
    pdf.polygon([(x + 2, y + 0.8), (x + 0.2, y + 4.5), (x + 3.8, y + 4.5)], style="F")
    pdf.set_font("Helvetica", "B", 7)
    pdf.set_text_color(26, 26, 26)
    pdf.text(x + 0.9, y + 8.2, "N")


def _scale_bar(pdf: FPDF, x: float, y: float, metres_per_mm: float, longest_mm: float) -> None:
    metres = scale_bar_length(metres_per_mm, longest_mm)
    length = metres / metres_per_mm
    label = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x - 1, y - 4, length + 2 + 2 * len(label), 5.5, style="F")
    pdf.set_fill_color(26, 26, 26)
    pdf.rect(x, y, length / 2, 1, style="F")
    pdf.set_draw_color(26, 26, 26)
    pdf.rect(x + length / 2, y, length / 2, 1, style="D")
    pdf.set_font("Helvetica", size=6.5)
    pdf.set_text_color(26, 26, 26)
    pdf.text(x + length + 1, y + 1, label)
    pdf.text(x, y - 1, "0")


def _legend(pdf: FPDF, x: float, y: float, text: Callable[[str], str]) -> None:
    pdf.set_font("Helvetica", size=6.5)
    pdf.set_text_color(40, 40, 40)
    entries = [
        ("site", text("site")),
        ("zoning", text("zoning")),
        ("road", text("road")),
        ("building", text("building")),
        ("station", text("station")),
        ("junction", text("junction")),
    ]
    line_y = y
    for kind, label in entries:
        if kind == "site":
            pdf.set_fill_color(*SITE_RGB[1])
            pdf.rect(x, line_y, 3, 2, style="DF")
        elif kind == "road":
            pdf.set_draw_color(200, 60, 30)
            pdf.set_line_width(0.8)
            pdf.line(x, line_y + 1, x + 3, line_y + 1)
            pdf.set_line_width(0.2)
            pdf.set_draw_color(30, 30, 30)
        elif kind == "zoning":
            pdf.set_fill_color(255, 210, 127)
            pdf.rect(x, line_y, 3, 2, style="DF")
        else:
            pdf.set_fill_color(*POINT_STYLES[kind][0])
            pdf.circle(x + 1.5, line_y + 1, 0.9, style="DF")
        pdf.text(x + 4.5, line_y + 1.8, label)
        line_y += 3
