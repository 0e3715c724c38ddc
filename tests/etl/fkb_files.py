"""A tiny FKB-Bygning delivery as Geonorge's GML (FKB-Bygning 5.0): 3D coordinates, buildings with
a footprint and buildings with only a representation point, in one layer (GDAL: "Unknown (any)")."""

from __future__ import annotations

from pathlib import Path

from tests.etl.plan_files import E0, N0

NAMESPACES = ('xmlns:gml="http://www.opengis.net/gml/3.2" '
              'xmlns:xlink="http://www.w3.org/1999/xlink" '
              'xmlns:app="https://skjema.geonorge.no/SOSI/produktspesifikasjon/FKB-Bygning/5.0"')
SRS = 'srsName="urn:ogc:def:crs:EPSG::25832" srsDimension="3"'


def _identification(local_id: str) -> str:
    return ("<app:identifikasjon><app:Identifikasjon>"
            f"<app:lokalId>{local_id}</app:lokalId><app:navnerom>NO_FKB</app:navnerom>"
            "<app:versjonId>1</app:versjonId></app:Identifikasjon></app:identifikasjon>")


def _attributes(number: int, kind: int) -> str:
    return (f"<app:bygningsnummer>{number}</app:bygningsnummer>"
            f"<app:bygningstype>{kind}</app:bygningstype>"
            "<app:bygningsstatus>TB</app:bygningsstatus>"
            "<app:kommunenummer>0541</app:kommunenummer>")


def _footprint(gid: str, e: float, n: float, size: float) -> str:
    ring = [(e, n), (e + size, n), (e + size, n + size), (e, n + size), (e, n)]
    pos = " ".join(f"{x:.2f} {y:.2f} 412.30" for x, y in ring)
    return (f'<app:område><gml:Polygon gml:id="{gid}.f" {SRS}><gml:exterior><gml:LinearRing>'
            f"<gml:posList>{pos}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
            "</app:område>")


def _point(gid: str, e: float, n: float) -> str:
    return (f'<app:representasjonspunkt><gml:Point gml:id="{gid}.p" {SRS}>'
            f"<gml:pos>{e:.2f} {n:.2f} 412.30</gml:pos></gml:Point></app:representasjonspunkt>")


def fkb_bygning_gml(path: Path) -> Path:
    """Two buildings with a footprint (10 m and 20 m squares) and one with only a point."""
    members = [
        f'<app:Bygning gml:id="Bygning.1">{_identification("b1")}{_attributes(300100001, 211)}'
        f'{_point("Bygning.1", E0 + 5, N0 + 5)}{_footprint("Bygning.1", E0, N0, 10)}'
        "</app:Bygning>",
        f'<app:Bygning gml:id="Bygning.2">{_identification("b2")}{_attributes(300100002, 111)}'
        f'{_footprint("Bygning.2", E0 + 50, N0, 20)}</app:Bygning>',
        f'<app:Bygning gml:id="Bygning.3">{_identification("b3")}{_attributes(300100003, 181)}'
        f'{_point("Bygning.3", E0 + 80, N0 + 80)}</app:Bygning>',
    ]
    body = "\n".join(f"<gml:featureMember>{m}</gml:featureMember>" for m in members)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                    f'<gml:FeatureCollection {NAMESPACES} gml:id="fkb.1">\n{body}\n'
                    "</gml:FeatureCollection>\n", encoding="utf-8")
    return path
