"""Tiny plan files in each format, written by the tests (100 m × 100 m near Asker, EPSG:25832)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import Polygon

E0, N0 = 580_000, 6_630_000


def left(offset: float = 0) -> Polygon:
    """West half of the plan."""
    return Polygon([(E0 + offset, N0), (E0 + 50, N0), (E0 + 50, N0 + 100), (E0 + offset, N0 + 100)])


def right() -> Polygon:
    """East half of the plan."""
    return Polygon([(E0 + 50, N0), (E0 + 100, N0), (E0 + 100, N0 + 100), (E0 + 50, N0 + 100)])


def _ne(e: float, n: float) -> str:
    return f"{round(n * 100)} {round(e * 100)}"


def sosi_plan(path: Path, *, planid: str = "2024001", left_code: str = "1300",
              charset: str = "UTF-8", name: str = "Detaljregulering for Testøya næringsområde",
              truncate: bool = False, unclosed: bool = False) -> Path:
    """A reguleringsplan in SOSI: RpOmråde and two RpArealformålOmråde sharing a border."""
    a, b, c = (E0, N0), (E0 + 50, N0), (E0 + 100, N0)
    d, e, f = (E0 + 100, N0 + 100), (E0 + 50, N0 + 100), (E0, N0 + 100)
    curves = {1: [a, b], 2: [b, c, d, e], 3: [e, f, (E0 + 1, N0) if unclosed else a], 4: [b, e]}
    lines = [".HODE", f"..TEGNSETT {charset}", "..TRANSPAR", "...KOORDSYS 22", "...ORIGO-NØ 0 0",
             "...ENHET 0.01", "..SOSI-VERSJON 4.5"]
    for serial, points in curves.items():
        lines += [f".KURVE {serial}:", "..OBJTYPE RpGrense", "..NØ", *(_ne(*p) for p in points)]
    plan_id = ["..NASJONALAREALPLANID", "...KOMM 3203", f'...PLANID "{planid}"']
    lines += [".FLATE 10:", "..OBJTYPE RpOmråde", *plan_id, f'..PLANNAVN "{name}"',
              "..PLANTYPE 35", "..PLANSTAT 3", "..IKRAFT 20230412", "..VEDTAKENDELIGPLAN 20230410",
              "..REF :1 :2 :3", "..NØ", _ne(E0 + 50, N0 + 50)]
    lines += [".FLATE 11:", "..OBJTYPE RpArealformålOmråde", f"..RPAREALFORMÅL {left_code}",
              '..FELTNAVN "BN1"', "..EIERFORM 3", "..UTNYTT", "...UTNTYP 16", "...UTNTALL 60",
              *plan_id, "..REF :1 :4 :3", "..NØ", _ne(E0 + 25, N0 + 50)]
    lines += [".FLATE 12:", "..OBJTYPE RpArealformålOmråde", "..RPAREALFORMÅL 2011",
              '..FELTNAVN "o_SKV1"', "..EIERFORM 1", *plan_id, "..REF :2 :-4", "..NØ",
              _ne(E0 + 75, N0 + 50), ".SLUTT"]
    text = "\n".join(lines) + "\n"
    if truncate:
        text = text[: len(text) * 2 // 3]
    codec = {"UTF-8": "utf-8", "ISO8859-10": "iso8859_10"}.get(charset, "utf-8")
    path.write_bytes(text.encode(codec))
    return path


def gml_plan(path: Path, *, planid: str = "2016007") -> Path:
    """A reguleringsplan in the national plan GML (SOSI-GML 4.5): RpOmråde + two areas."""
    def polygon(geom: Polygon, gid: str) -> str:
        coords = " ".join(f"{x:.2f} {y:.2f}" for x, y in geom.exterior.coords)
        return (f'<gml:Polygon gml:id="{gid}" srsName="http://www.opengis.net/def/crs/EPSG/0/25832">'
                f"<gml:exterior><gml:LinearRing><gml:posList>{coords}</gml:posList>"
                "</gml:LinearRing></gml:exterior></gml:Polygon>")

    plan_id = ("<app:nasjonalArealplanId><app:NasjonalArealplanId>"
               "<app:kommunenummer>0301</app:kommunenummer>"
               f"<app:planidentifikasjon>{planid}</app:planidentifikasjon>"
               "</app:NasjonalArealplanId></app:nasjonalArealplanId>")
    members = [
        f'<app:RpOmråde gml:id="p1"><app:område>{polygon(left().union(right()), "g0")}</app:område>'
        f"{plan_id}<app:plannavn>Slemmestad vest</app:plannavn><app:plantype>35</app:plantype>"
        "<app:planstatus>3</app:planstatus>"
        "<app:ikrafttredelsesdato>2017-06-20</app:ikrafttredelsesdato>"
        "<app:vedtakEndeligPlanDato>2017-06-19</app:vedtakEndeligPlanDato></app:RpOmråde>",
        f'<app:RpArealformålOmråde gml:id="a1"><app:område>{polygon(left(), "g1")}</app:område>'
        "<app:arealformål>1810</app:arealformål><app:feltnavn>BKB1</app:feltnavn>"
        "<app:eierform>3</app:eierform><app:utnytting><app:Utnytting>"
        "<app:utnyttingstype>18</app:utnyttingstype><app:utnyttingstall>120</app:utnyttingstall>"
        f"</app:Utnytting></app:utnytting>{plan_id}</app:RpArealformålOmråde>",
        f'<app:RpArealformålOmråde gml:id="a2"><app:område>{polygon(right(), "g2")}</app:område>'
        f"<app:arealformål>3040</app:arealformål><app:feltnavn>GF1</app:feltnavn>{plan_id}"
        "</app:RpArealformålOmråde>",
    ]
    body = "".join(f"<gml:featureMember>{m}</gml:featureMember>" for m in members)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<gml:FeatureCollection '
        'xmlns:gml="http://www.opengis.net/gml/3.2" '
        'xmlns:app="http://skjema.geonorge.no/SOSI/produktspesifikasjon/Reguleringsplan/4.5" '
        f'gml:id="c1">{body}</gml:FeatureCollection>\n', encoding="utf-8")
    return path


def flat_areas(rows: list[dict[str, Any]], geometries: list[Polygon]) -> gpd.GeoDataFrame:
    """Plan areas as one flat table (what GeoJSON, GeoPackage and Shapefile deliveries hold)."""
    return gpd.GeoDataFrame(rows, geometry=geometries, crs="EPSG:25832")


def rb_1985_rows(planid: str = "19880012", codes: tuple[int, int] = (140, 110),
                 name: str = "Vollen sentrum") -> list[dict[str, Any]]:
    """Two RbFormålOmråde rows of a 1985 reguleringsplan."""
    return [{"objekttype": "RbFormålOmråde", "kommunenummer": "3203", "planidentifikasjon": planid,
             "plannavn": name, "plantype": 30, "planstatus": 3,
             "ikrafttredelsesdato": "1988-05-19", "reguleringsformal": code, "feltnavn": f"F{i}"}
            for i, code in enumerate(codes, start=1)]


def geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    """A GeoJSON FeatureCollection in EPSG:25832 (legacy crs member)."""
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": {
        "type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": features}), encoding="utf-8")
    return path


def gml_plan_5(path: Path, *, planid: str = "20190012") -> Path:
    """A Reguleringsplanforslag as DiBK delivers it (SOSI-GML, Arealplan 5.0): the Arealplan
    object carries the plan id and has no geometry; RpOmråde and the areas link to it with
    xlink:href; 3D coordinates (srsDimension="3") in EPSG:25832 as a URN."""
    def polygon(geom: Polygon, gid: str) -> str:
        coords = " ".join(f"{x:.2f} {y:.2f} 0.00" for x, y in geom.exterior.coords)
        return (f'<gml:Polygon gml:id="{gid}" srsName="urn:ogc:def:crs:EPSG::25832" '
                'srsDimension="3"><gml:exterior><gml:LinearRing><gml:posList>'
                f"{coords}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>")

    def identification(local_id: str) -> str:
        return ("<app:identifikasjon><app:Identifikasjon>"
                f"<app:lokalId>{local_id}</app:lokalId><app:navnerom>https://data.geonorge.no/"
                "sosi/reguleringsplanforslag</app:navnerom></app:Identifikasjon>"
                "</app:identifikasjon>")

    link = '<app:arealplan xlink:href="#plan.8f2c"/>'
    members = [
        f'<app:RpArealformålOmråde gml:id="area.1">{identification("a1")}'
        f'<app:område>{polygon(left(), "g1")}</app:område><app:arealformål>1300</app:arealformål>'
        f"<app:feltnavn>BN1</app:feltnavn><app:eierform>3</app:eierform>{link}"
        "</app:RpArealformålOmråde>",
        f'<app:RpArealformålOmråde gml:id="area.2">{identification("a2")}'
        f'<app:område>{polygon(right(), "g2")}</app:område><app:arealformål>2011</app:arealformål>'
        f"<app:feltnavn>o_SKV1</app:feltnavn>{link}</app:RpArealformålOmråde>",
        f'<app:RpOmråde gml:id="area.0">{identification("o1")}'
        f'<app:område>{polygon(left().union(right()), "g0")}</app:område>'
        '<app:planområde xlink:href="#plan.8f2c"/></app:RpOmråde>',
        f'<app:Arealplan gml:id="plan.8f2c">{identification("p1")}'
        "<app:nasjonalArealplanId><app:NasjonalArealplanId>"
        "<app:kommunenummer>0541</app:kommunenummer>"
        f"<app:planidentifikasjon>{planid}</app:planidentifikasjon>"
        "</app:NasjonalArealplanId></app:nasjonalArealplanId>"
        "<app:plannavn>Etnedal næringspark</app:plannavn><app:plantype>35</app:plantype>"
        "<app:planstatus>3</app:planstatus>"
        "<app:vedtakEndeligPlanDato>2021-03-18</app:vedtakEndeligPlanDato>"
        '<app:område xlink:href="#area.0"/></app:Arealplan>',
    ]
    body = "".join(f"<gml:featureMember>{m}</gml:featureMember>" for m in members)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<gml:FeatureCollection '
        'xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:app="https://skjema.geonorge.no/SOSI/produktspesifikasjon/Reguleringsplanforslag/'
        '5.0" gml:id="coll.1">\n' + body.replace("</gml:featureMember>", "</gml:featureMember>\n")
        + "</gml:FeatureCollection>\n", encoding="utf-8")
    return path
