"""Accessible bar-and-line charts as server-rendered SVG (no chart library, no script).

Results are bars with their value written above them; fictional values are hatched; ambitions
are a dashed line with diamond markers. Shapes and labels carry the meaning, never colour alone.
Where lower is better (a rank), the axis runs from 1 at the top down to the worst rank, so a
taller bar is a better rank. Labels never overlap: years are thinned where slots are narrow and a
value label moves above an ambition marker it would hit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 32, 56
# Room a year label needs (four digits at 12 px, with a gap); narrower slots label fewer years.
YEAR_LABEL_W = 36
# Height of a value label; it moves up to clear an ambition diamond closer than this.
LABEL_H = 14
BAR_FILL = "#1f5f99"
AMBITION = "#9a3f00"
GRID = "#767676"


@dataclass(frozen=True)
class Point:
    """One year's result and ambition (either may be missing)."""

    year: int
    result: float | None
    ambition: float | None
    fictional: bool = False


@dataclass(frozen=True)
class ChartLabels:
    """Texts in the page's language."""

    title: str
    description: str
    result: str
    ambition: str
    fictional: str
    unit: str


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 0.001:
        ticks.append(round(value, 6))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 6))
    return ticks


def _fmt(value: float, decimals: int, lang: str) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\u202f").replace(".", ",")


def rank_ticks(high: float) -> list[float]:
    """Ticks for a rank axis: 1, then round values up to at least `high`."""
    return [1.0, *[t for t in nice_ticks(0, max(high, 2.0)) if t >= 2]]


def bar_line_chart(
    points: Sequence[Point],
    labels: ChartLabels,
    *,
    chart_id: str,
    decimals: int = 0,
    lang: str = "nb",
    lower_is_better: bool = False,
) -> Markup:
    """An SVG chart of yearly results (bars) and ambitions (dashed line)."""
    values = [v for p in points for v in (p.result, p.ambition) if v is not None]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    if lower_is_better:
        ticks = rank_ticks(max([1.0, *values]))
        low, high = ticks[0], ticks[-1]
    else:
        ticks = nice_ticks(min([0.0, *values]), max([1.0, *values]))
        low, high = ticks[0], ticks[-1]

    def y(value: float) -> float:
        if lower_is_better:  # rank 1 at the top
            return TOP + plot_h * (value - low) / (high - low)
        return TOP + plot_h * (high - value) / (high - low)

    def x(index: int) -> float:
        return LEFT + slot * (index + 0.5)

    year_step = max(1, math.ceil(YEAR_LABEL_W / slot))
    bottom_line: float = TOP + plot_h

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg class="nk-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(labels.title)}</title>',
        f'<desc id="{desc_id}">{escape(labels.description)}</desc>',
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BAR_FILL}" stroke-width="3"/></pattern></defs>',
    ]
    for tick in ticks:
        heavy = tick == 0 or (lower_is_better and tick == ticks[-1])
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}" stroke-width="{1.5 if heavy else 0.5}"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
            f'class="nk-chart-tick">{escape(_fmt(tick, 0 if tick == int(tick) else 1, lang))}'
            f"</text>"
        )
    bar_w = min(slot * 0.6, 40)
    for index, point in enumerate(points):
        if index % year_step == 0:
            parts.append(
                f'<text x="{x(index):.1f}" y="{HEIGHT - BOTTOM + 18}" '
                f'text-anchor="middle" class="nk-chart-tick">{point.year}</text>'
            )
        if point.result is None:
            continue
        if lower_is_better:  # the bar rises from the worst rank on the axis to the result
            top, base = y(point.result), bottom_line
        else:
            top, base = y(max(point.result, 0)), y(min(point.result, 0))
        fill = f"url(#{chart_id}-hatch)" if point.fictional else BAR_FILL
        parts.append(
            f'<rect class="nk-chart-bar{" nk-chart-fictional" if point.fictional else ""}" '
            f'x="{x(index) - bar_w / 2:.1f}" y="{top:.1f}" width="{bar_w:.1f}" '
            f'height="{max(base - top, 0.5):.1f}" fill="{fill}" stroke="{BAR_FILL}"/>'
        )
        if slot < 48:
            continue  # too narrow for a readable label; the table beside the chart has it
        label_y = top - 5 if lower_is_better or point.result >= 0 else base + 14
        if point.ambition is not None:
            marker = y(point.ambition)
            # The label's box is label_y - LABEL_H + 3 .. label_y + 3; the diamond ± 6.
            if label_y - LABEL_H + 3 < marker + 7 and label_y + 3 > marker - 7:
                label_y = marker - 9
        parts.append(
            f'<text x="{x(index):.1f}" y="{label_y:.1f}" text-anchor="middle" '
            f'class="nk-chart-value">{escape(_fmt(point.result, decimals, lang))}</text>'
        )
    ambition = [(x(i), y(p.ambition)) for i, p in enumerate(points) if p.ambition is not None]
    if ambition:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in ambition)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{AMBITION}" stroke-width="2" '
            f'stroke-dasharray="6 4"/>'
        )
        for px, py in ambition:
            parts.append(
                f'<path class="nk-chart-ambition" d="M{px:.1f},{py - 6:.1f} l6,6 l-6,6 '
                f'l-6,-6 z" fill="#ffffff" stroke="{AMBITION}" stroke-width="2"/>'
            )
    # Legend: shapes and words.
    ly = HEIGHT - 14
    parts.append(
        f'<rect x="{LEFT}" y="{ly - 10}" width="14" height="12" fill="{BAR_FILL}"/>'
        f'<text x="{LEFT + 20}" y="{ly}" class="nk-chart-legend">'
        f"{escape(labels.result)}</text>"
    )
    parts.append(
        f'<rect x="{LEFT + 170}" y="{ly - 10}" width="14" height="12" '
        f'fill="url(#{chart_id}-hatch)" stroke="{BAR_FILL}"/>'
        f'<text x="{LEFT + 190}" y="{ly}" class="nk-chart-legend">'
        f"{escape(labels.fictional)}</text>"
    )
    parts.append(
        f'<line x1="{LEFT + 360}" x2="{LEFT + 390}" y1="{ly - 4}" y2="{ly - 4}" '
        f'stroke="{AMBITION}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<path d="M{LEFT + 375},{ly - 10} l6,6 l-6,6 l-6,-6 z" fill="#ffffff" '
        f'stroke="{AMBITION}" stroke-width="2"/>'
        f'<text x="{LEFT + 398}" y="{ly}" class="nk-chart-legend">'
        f"{escape(labels.ambition)}</text>"
    )
    parts.append(
        f'<text x="{LEFT - 6}" y="{TOP - 14}" text-anchor="start" '
        f'class="nk-chart-tick nk-chart-unit">{escape(labels.unit)}</text>'
    )
    parts.append("</svg>")
    # Every text above went through escape(); the rest is our own markup.
    return Markup("".join(parts))
