"""A tiny AR5 delivery as NIBIO's GML (Arealressurs 4.6): boundary lines first, then the areas."""

from __future__ import annotations

from pathlib import Path

from tests.etl.plan_files import E0, N0

NAMESPACES = ('xmlns:gml="http://www.opengis.net/gml/3.2" '
              'xmlns:xlink="http://www.w3.org/1999/xlink" '
              'xmlns:app="https://skjema.geonorge.no/SOSI/produktspesifikasjon/Arealressurs/4.6"')


def _pos(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{e:.2f} {n:.2f}" for e, n in points)


def _square(e: float, n: float, size: float) -> list[tuple[float, float]]:
    return [(e, n), (e + size, n), (e + size, n + size), (e, n + size), (e, n)]


def _flate(gid: str, arealtype: int, ring: list[tuple[float, float]]) -> str:
    return (f'<app:ArealressursFlate gml:id="{gid}"><app:identifikasjon><app:Identifikasjon>'
            f"<app:lokalId>{gid}</app:lokalId><app:navnerom>NO_AR5</app:navnerom>"
            "</app:Identifikasjon></app:identifikasjon>"
            f'<app:område><gml:Polygon gml:id="{gid}.g" srsName="urn:ogc:def:crs:EPSG::25832" '
            'srsDimension="2"><gml:exterior><gml:LinearRing>'
            f"<gml:posList>{_pos(ring)}</gml:posList></gml:LinearRing></gml:exterior>"
            "</gml:Polygon></app:område>"
            f"<app:arealressursArealtype>{arealtype}</app:arealressursArealtype>"
            "<app:arealressursTreslag>39</app:arealressursTreslag></app:ArealressursFlate>")


def _grense(gid: str, line: list[tuple[float, float]]) -> str:
    return (f'<app:ArealressursGrense gml:id="{gid}"><app:grense><gml:LineString '
            f'gml:id="{gid}.g" srsName="urn:ogc:def:crs:EPSG::25832"><gml:posList>{_pos(line)}'
            "</gml:posList></gml:LineString></app:grense>"
            "<app:avgrensingType>4206</app:avgrensingType></app:ArealressursGrense>")


def ar5_gml(path: Path, *, sliver: bool = False, bow_tie: bool = False) -> Path:
    """Two boundary lines, a 100 m square of fulldyrka (21) and one of skog (30) beside it;
    `sliver` adds a zero-area three-point ring, `bow_tie` makes the skog self-intersecting."""
    skog = _square(E0 + 100, N0, 100)
    if bow_tie:
        # The west edge overshoots the south edge: a small loop crossing it (self-intersection).
        skog = [(E0 + 100, N0), (E0 + 200, N0), (E0 + 200, N0 + 100), (E0 + 100, N0 + 100),
                (E0 + 110, N0 - 10), (E0 + 100, N0)]
    members = [_grense("ArealressursGrense.1", _square(E0, N0, 100)[:3]),
               _grense("ArealressursGrense.2", _square(E0 + 100, N0, 100)[:3]),
               _flate("ArealressursFlate.1", 21, _square(E0, N0, 100)),
               _flate("ArealressursFlate.2", 30, skog)]
    if sliver:
        a, b = (E0 + 100, N0), (E0 + 100, N0 + 100)
        members.append(_flate("ArealressursFlate.3", 30, [a, b, a]))
    body = "\n".join(f"<gml:featureMember>{m}</gml:featureMember>" for m in members)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                    f'<gml:FeatureCollection {NAMESPACES} gml:id="ar5.1">\n{body}\n'
                    "</gml:FeatureCollection>\n", encoding="utf-8")
    return path
