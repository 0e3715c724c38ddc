"""The choropleth layers draw each feature in its legend class's colour (read from the drawn
SVG paths in the browser): rezoned farmland by adoption year, workplaces per tettsted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from gis.jordvern import PROPOSAL_CLASS, YEAR_CLASSES
from tests.browser import serve_blank_basemap

pytestmark = pytest.mark.browser

DRAWN = """([id]) => {
  const out = [];
  Naeringskart.layers[id].eachLayer((f) => out.push({
    props: f.feature.properties,
    fill: f._path ? f._path.getAttribute("fill") : null,
    dash: f._path ? f._path.getAttribute("stroke-dasharray") : null,
  }));
  return out;
}"""

LEGEND = """([id]) => [...document.querySelectorAll(
    `.nk-legend-layer[data-layer="${id}"] li`)].map((li) => ({
  label: li.querySelector("span:not(.nk-swatch)").textContent,
  colour: getComputedStyle(li.querySelector(".nk-swatch")).backgroundColor,
}))"""


@pytest.fixture(scope="module")
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    serve_blank_basemap(page)
    page.goto(live_server + "/?layers=jordvern_rezoned,tettsted_workplaces")
    for key in ("jordvern-rezoned", "tettsted-workplaces"):
        page.wait_for_selector(f"[data-loaded-{key}]", state="attached")
    yield page
    context.close()


def _hex(colour: str) -> str:
    """'#A1b2C3' or 'rgb(161, 178, 195)' as '#a1b2c3'."""
    match = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, [\d.]+)?\)", colour.strip())
    if match:
        return "#" + "".join(f"{int(v):02x}" for v in match.groups())
    return colour.strip().lower()


def _drawn_against_legend(page: Page, layer: str,
                          label_of: Any) -> tuple[list[str], set[str]]:
    legend = {entry["label"]: _hex(entry["colour"])
              for entry in page.evaluate(LEGEND, [layer])}
    drawn = page.evaluate(DRAWN, [layer])
    assert drawn, f"{layer}: nothing drawn"
    wrong, seen = [], set()
    for feature in drawn:
        label = label_of(feature["props"])
        seen.add(label)
        if label not in legend:
            wrong.append(f"{layer}: class {label!r} has no legend entry ({sorted(legend)})")
        elif _hex(feature["fill"] or "") != legend[label]:
            wrong.append(f"{layer}: {label!r} drawn {feature['fill']}, legend {legend[label]}")
    return wrong, seen


def _year_label(props: dict[str, Any]) -> str:
    """The legend label from the piece's status and year (not from its stored class)."""
    if props["status"] == "forslag":
        return PROPOSAL_CLASS.label_nb + " (stiplet kant)"
    year = props["year"]
    for c in YEAR_CLASSES:
        if c.first is None and c.last is None:
            if year is None:
                return c.label_nb
        elif year is not None and (c.first or -9999) <= year <= (c.last or 9999):
            return c.label_nb
    raise AssertionError(f"no class for {props}")


def _workplace_label(props: dict[str, Any]) -> str:
    """The legend label from the tettsted's workplace count (not from its stored class)."""
    n = props["arbeidsplasser"]
    if n is None:
        return "ingen tall"
    for limit, label in ((1000, "under 1 000"), (2500, "1 000–2 499"), (5000, "2 500–4 999"),
                         (10000, "5 000–9 999")):
        if n < limit:
            return label
    return "10 000 og flere"


def test_rezoned_farmland_is_drawn_in_its_year_class_colour(page: Page) -> None:
    wrong, seen = _drawn_against_legend(page, "jordvern_rezoned", _year_label)
    assert wrong == []
    assert len(seen) >= 2  # the demo data spans several classes, so a mix-up would show


def test_proposals_also_differ_by_a_dashed_outline(page: Page) -> None:
    drawn = page.evaluate(DRAWN, ["jordvern_rezoned"])
    for feature in drawn:
        dashed = feature["dash"] not in (None, "", "none")
        assert dashed == (feature["props"]["status"] == "forslag"), feature["props"]


def test_tettsteder_are_drawn_in_their_workplace_class_colour(page: Page) -> None:
    wrong, seen = _drawn_against_legend(page, "tettsted_workplaces", _workplace_label)
    assert wrong == []
    assert len(seen) >= 2
