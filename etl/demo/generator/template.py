"""The planners' spreadsheet template (CSV and XLSX)."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any

import openpyxl
import shapely
from openpyxl.styles import Font
from shapely.geometry import Point

from etl.demo.generator.common import DEMO_KOMMUNE, SRID, TO_WGS84, UTM_CRS
from etl.demo.generator.site_specs import SITE_COLUMNS
from etl.demo.generator.sites import Site
from etl.demo.generator.writers import normalise_zip, write_text


def _template_rows(template: list[Site]) -> list[dict[str, Any]]:
    rows = []
    for s in template:
        row = dict(s.props)
        if isinstance(s.geom, Point):
            lon, lat = TO_WGS84.transform(s.geom.x, s.geom.y)
            row.update(wkt="", lat=round(lat, 6), lon=round(lon, 6))
        else:
            row.update(wkt=shapely.to_wkt(s.geom, rounding_precision=2, trim=True), lat="", lon="")
        rows.append(row)
    return rows


TEMPLATE_HELP = [
    ("site_id", f"Unik ID, {DEMO_KOMMUNE.site_id_prefix}-nnn."),
    ("name", "Navn på arealet."),
    ("area_m2", "Areal i m² (beregnes fra polygonet når wkt er fylt ut; ellers ditt anslag)."),
    ("status", "ledig | reservert | under_utbygging | utbygd | trukket_tilbake"),
    ("readiness", "ledig_naa | regulert | kommuneplan"),
    ("planned_use", "F.eks. Kontor, Lager og logistikk, Industri, Handel, Kombinert næring/kontor"),
    ("zoning_code", "Arealformål etter PBL 2008 (firesifret kode, f.eks. 1300)."),
    ("ownership", "kommunal | privat"),
    ("tettsted", "Tettstedets navn."),
    ("contact_name", "Kontaktperson."),
    ("contact_email", "E-post."),
    ("contact_phone", "Telefon."),
    ("description_nb", "Beskrivelse på norsk (vises offentlig)."),
    ("description_en", "Description in English (shown publicly)."),
    ("last_verified", "Dato sist kontrollert, ÅÅÅÅ-MM-DD."),
    ("published", "true = vises i det offentlige kartet."),
    ("planner_note", "INTERN merknad - vises aldri offentlig."),
    ("fictional", "true for demodata."),
    ("wkt", f"Polygon som WKT i {UTM_CRS} (UTM {SRID % 100}N). Fyll ut enten wkt eller lat/lon."),
    ("lat", "Breddegrad WGS84 (punkt) når du ikke har polygon."),
    ("lon", "Lengdegrad WGS84 (punkt) når du ikke har polygon."),
]


def write_template(out: Path, template: list[Site]) -> None:
    cols = [*SITE_COLUMNS, "wkt", "lat", "lon"]
    rows = _template_rows(template)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, delimiter=";", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("true" if v is True else "false" if v is False else v) for k, v in r.items()})
    write_text(out / "sites_template.csv", buf.getvalue())

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "arealer"
    ws.append(cols)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([None if r[c] == "" else r[c] for c in cols])
    ws.freeze_panes = "A2"
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = 60 if c == "wkt" else 18
    help_ws = wb.create_sheet("veiledning")
    help_ws.append(["kolonne", "forklaring"])
    for row in TEMPLATE_HELP:
        help_ws.append(list(row))
    help_ws.column_dimensions["A"].width = 18
    help_ws.column_dimensions["B"].width = 90
    fixed = datetime.datetime(2026, 1, 1)
    wb.properties.creator = "Næringskart demo"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    raw = io.BytesIO()
    wb.save(raw)
    (out / "sites_template.xlsx").write_bytes(normalise_zip(raw.getvalue()))
