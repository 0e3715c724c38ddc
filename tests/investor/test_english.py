"""English investor pages and exports carry no bokmål: labels, codes, plan purposes, sources."""

from __future__ import annotations

import csv
import html
import io
import re
from functools import cache

import pytest
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from gis.abc.business import BUSINESS_TYPES
from gis.codes import CODE_LISTS, names
from gis.investor.factsheet import building_type_names
from gis.investor.sources import SOURCE_TITLES
from tests.investor.conftest import query
from webmap.i18n import TRANSLATIONS_ROOT

STATUSES = "status=ledig&status=reservert&status=under_utbygging&status=utbygd"
ENGLISH_PAGES = [
    "/en/investor",
    f"/en/investor?{STATUSES}",
    "/en/investor/site/ASK-001",
    "/en/investor/site/ASK-003",
    "/en/investor/compare?sites=ASK-001,ASK-003,ASK-009",
    "/en/investor/interest?site=ASK-001",
    "/en/investor/interest/thanks",
]


@cache
def bokmal_phrases() -> frozenset[str]:
    """Every bokmål text the app could show: message ids, code names, building types, sources."""
    phrases: set[str] = set()
    for domain in ("investor", "core", "errors"):
        path = TRANSLATIONS_ROOT / domain / "en" / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and isinstance(message.id, str) and message.string != message.id:
                    phrases.add(message.id.split("%(")[0].strip())
    for code_list in CODE_LISTS:
        phrases.update(names(code_list).values())
    phrases.update(building_type_names().values())
    phrases.update(nb for nb, _en in BUSINESS_TYPES.values())
    phrases.update(title.nb for title in SOURCE_TITLES.values())
    # Short or shared words (Status, ABC) are the same in both languages.
    return frozenset(p for p in phrases if len(p) >= 5 and not p.isupper())


def data_names(investor_db_url: str) -> list[str]:
    """Proper names from the data (site, place and plan names), which stay as they are."""
    rows = query(
        investor_db_url,
        """
        SELECT name FROM site UNION SELECT tettsted FROM site WHERE tettsted IS NOT NULL
        UNION SELECT name FROM centre UNION SELECT name FROM transit_stop
        UNION SELECT plannavn FROM plan WHERE plannavn IS NOT NULL""",
    )
    return sorted((str(r[0]) for r in rows), key=len, reverse=True)


def visible_text(page: str) -> str:
    """The text a reader meets: element text plus labels read out (aria-label, title, alt)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    spoken = re.findall(r'(?:aria-label|title|alt|data-label-[a-z-]+)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *spoken]))


def norwegian_in(text: str, investor_db_url: str) -> list[str]:
    for proper in data_names(investor_db_url):
        text = text.replace(proper, " ")
    return sorted(
        p for p in bokmal_phrases() if re.search(r"(?<![\wæøåÆØÅ])" + re.escape(p) + r"(?![\wæøåÆØÅ])", text)
    )


@pytest.mark.parametrize("path", ENGLISH_PAGES)
def test_english_pages_have_no_bokmal(investor_client: FlaskClient, investor_db_url: str, path: str) -> None:
    response = investor_client.get(path)
    assert response.status_code == 200
    assert norwegian_in(visible_text(response.get_data(as_text=True)), investor_db_url) == []


def test_plan_purposes_and_zoning_are_named_in_english(investor_client: FlaskClient) -> None:
    page = visible_text(investor_client.get("/en/investor/site/ASK-001").get_data(as_text=True))
    # ASK-001's zoning code 1310 and its plan area 1310 (Kontor): the English purpose name.
    assert "1310 Office" in page and "Kontor" not in page
    assert "Business sites (the municipality's register)" in page  # a source by its name
    assert "sites.geojson" not in page
    compare = visible_text(
        investor_client.get("/en/investor/compare?sites=ASK-001,ASK-002").get_data(as_text=True)
    )
    assert "1310 Office" in compare and "1800 Combined buildings and facilities" in compare


def test_english_csv_has_english_labels_and_a_decimal_point(investor_client: FlaskClient) -> None:
    response = investor_client.get("/en/investor/export.csv?" + STATUSES)
    text = response.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=","))
    assert rows and "Site ID" in rows[0] and "Status" in rows[0] and "Area (m²)" in rows[0]
    statuses = {row["Status"] for row in rows}
    assert {"Available", "Reserved", "Developed"} <= statuses
    assert not statuses & {"ledig", "reservert", "utbygd", "Ledig"}
    assert all(row["Fictional"] in ("yes", "no") for row in rows)
    latitude = rows[0]["Latitude"]
    assert "." in latitude and "," not in latitude and 58 < float(latitude) < 61
    by_key = {row["Site ID"]: row for row in rows}
    assert by_key["ASK-001"]["Zoning purpose"] == "Office"
    assert by_key["ASK-001"]["Fact sheet"].startswith("http")
    assert by_key["ASK-001"]["Fact sheet"].endswith("/en/investor/site/ASK-001")


def test_english_geojson_links_are_absolute(investor_client: FlaskClient) -> None:
    collection = investor_client.get("/en/investor/export.geojson").get_json(force=True)
    urls = [f["properties"]["url"] for f in collection["features"]]
    assert urls and all(re.match(r"https?://[^/]+/en/investor/site/", url) for url in urls)
    assert all(f["properties"]["status_label"] == "Available" for f in collection["features"])


def test_english_pdf_has_no_bokmal(investor_client: FlaskClient, investor_db_url: str) -> None:
    from tests.investor.test_factsheet import _pdf_text

    raw = _pdf_text(investor_client.get("/en/investor/site/ASK-001/pdf").data)
    # Text shown by the PDF: the strings of its text operators, unescaped.
    shown = " ".join(re.findall(r"\((.*?)\) Tj", raw)).replace("\\(", "(").replace("\\)", ")")
    assert "Allowed floor area" in shown
    assert norwegian_in(shown, investor_db_url) == []
