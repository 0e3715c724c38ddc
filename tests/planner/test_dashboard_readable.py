"""The dashboard names zoning codes, writes chart labels whole, and does not count the register's
first import as land added this year (a site created later is)."""

from __future__ import annotations

import datetime as dt
import re

import psycopg
from flask.testing import FlaskClient

from gis.db import libpq_dsn
from tests.planner.conftest import page_csrf

SQUARE = {"type": "Polygon", "coordinates": [[[10.4300, 59.8330], [10.4318, 59.8330],
                                              [10.4318, 59.8339], [10.4300, 59.8339],
                                              [10.4300, 59.8330]]]}  # fmt: skip
LONG_TETTSTED = "Hvalstad og Nesbru næringsområde vest"


def _added_this_year(html: str) -> int:
    table = html.split('id="per-year"')[1].split("</table>")[0]
    row = re.search(rf"<th scope=\"row\">{dt.date.today().year}</th>(.*?)</tr>", table, re.S)
    if row is None:
        return 0
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))
    return int(cells[3])


def test_first_import_is_not_added_land(planner_client: FlaskClient) -> None:
    assert _added_this_year(planner_client.get("/planner/").get_data(as_text=True)) == 0
    created = planner_client.post(
        "/api/planner/sites",
        json={"values": {"name": "Ny tomt i år"}, "geometry": SQUARE},
        headers={"X-CSRFToken": page_csrf(planner_client, "/planner/kart")},
    )
    assert created.status_code == 201
    assert _added_this_year(planner_client.get("/planner/").get_data(as_text=True)) == 1


def test_zoning_names_and_whole_chart_labels(planner_client: FlaskClient, planner_db: str) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        conn.execute(
            "UPDATE site SET tettsted = %s WHERE id = (SELECT min(id) FROM site WHERE status = 'ledig')",
            (LONG_TETTSTED,),
        )
    html = planner_client.get("/planner/").get_data(as_text=True)
    zoning = html.split('id="zoning-heading"')[1].split("</section>")[0]
    labels = re.findall(r'<th scope="row">([^<]+)</th>', zoning)
    assert labels and all(re.fullmatch(r"\d{4} \S.*", label) for label in labels if label != "–"), labels
    chart = html.split('id="tettsted-heading"')[1].split("</figure>")[0]
    assert f'class="bar-label">{LONG_TETTSTED}</text>' in chart
