"""Every CSV the app writes neutralises cells a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io

import psycopg
import pytest
from flask.testing import FlaskClient

from gis.csvout import safe_cell
from gis.db import libpq_dsn
from gis.indicators import set_manual_value

FORMULAS = ['=HYPERLINK("https://evil.example","klikk")', "+cmd|' /C calc'!A0", "-2+3",
            "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_cells_become_text(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-12.5, 3, "-12,5", "+47", "-1 200,5", "Asker", "", None])
def test_numbers_and_plain_text_stay_as_they_are(value: object) -> None:
    assert safe_cell(value) == value


def test_indicator_csv_neutralises_a_source_note(planner_client: FlaskClient,
                                                 planner_db: str) -> None:
    """The NHO source text is typed by a planner and shown to the public as CSV."""
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        set_manual_value(conn, indicator="nho_rank", region="3203", year=2024, value=9,
                         kind="result", source=FORMULAS[0], source_date=dt.date(2024, 6, 12),
                         entered_by="kari")
    body = planner_client.application.test_client().get("/indikatorer.csv").get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))) for cell in row]
    assert "'" + FORMULAS[0] in cells, body
    assert not any(cell.startswith("=") for cell in cells)
