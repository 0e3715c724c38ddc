"""Read every output back and check it."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pyogrio
from shapely.strtree import STRtree

from etl.demo.generator.common import DEMO_KOMMUNE, SRID
from etl.demo.generator.site_specs import SITE_COLUMNS
from etl.demo.generator.sosi_reader import parse_sosi, sosi_polygons
from etl.demo.generator.statistics import STAT_COLUMNS
from etl.demo.generator.world import World


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise AssertionError(msg)


def _read(path: Path, layer: str | None = None, list_layers: bool = False) -> Any:
    """Read a vector file back with pyogrio from a scratch copy, so drivers that
    write side files (GML writes a .gfs) never touch the demo folder."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        shutil.copy(path, copy)
        if list_layers:
            return {str(n) for n, _ in pyogrio.list_layers(copy)}
        return pyogrio.read_dataframe(copy, layer=layer)


def validate(out: Path, world: World) -> dict[str, Any]:
    d = out
    report: dict[str, Any] = {}
    boundary = world.land.buffer(0.5)

    sites = _read(d / "sites.geojson")
    _check(sites.crs.to_epsg() == 4326 and len(sites) >= 30, "sites: CRS/count")
    _check(list(sites.columns[:-1]) == SITE_COLUMNS, "sites: property names/order")
    utm = sites.to_crs(SRID)
    _check(
        all(a == round(g.area) for a, g in zip(sites.area_m2, utm.geometry, strict=True)), "sites: area_m2"
    )
    _check(all(2000 <= a <= 80000 for a in sites.area_m2), "sites: area range")
    _check(all(boundary.contains(g) for g in utm.geometry), "sites: outside the kommune")
    _check(
        not any(a.intersects(b) for i, a in enumerate(utm.geometry) for b in utm.geometry[i + 1 :]),
        "sites: overlap",
    )
    _check(2 <= (~sites.published).sum() <= 3, "sites: published=false count")
    report["sites"] = len(sites)

    with open(d / "sites_template.csv", encoding="utf-8", newline="") as fh:
        trows = list(csv.DictReader(fh, delimiter=";"))
    _check(list(trows[0]) == [*SITE_COLUMNS, "wkt", "lat", "lon"], "template: columns")
    _check(all(bool(r["wkt"]) != bool(r["lat"] and r["lon"]) for r in trows), "template: wkt xor lat/lon")
    xl = openpyxl.load_workbook(d / "sites_template.xlsx", read_only=True)
    xrows = list(xl["arealer"].iter_rows(values_only=True))
    _check(
        len(xrows) == len(trows) + 1 and [r[0] for r in xrows[1:]] == [r["site_id"] for r in trows],
        "template: xlsx rows",
    )
    report["template"] = len(trows)

    for name, min_flates in (
        ("plan_kpa_asker.sos", 40),
        ("plan_rp_kjekstad.sos", 5),
        ("plan_rp_holmen.sos", 5),
        ("ar5_utsnitt.sos", 3),
    ):
        raw = (d / name).read_bytes()
        doc = parse_sosi(raw)
        polys = sosi_polygons(doc)
        areas = [p for a, p in polys if a["OBJTYPE"] not in ("KpOmråde", "RpOmråde")]
        outline = [p for a, p in polys if a["OBJTYPE"] in ("KpOmråde", "RpOmråde")]
        _check(len(areas) >= min_flates, f"{name}: only {len(areas)} areas")
        if outline:
            _check(abs(sum(p.area for p in areas) - sum(p.area for p in outline)) < 1, f"{name}: coverage")
        if name == "plan_kpa_asker.sos":
            refs = " ".join(o["ref"] for o in doc["objects"] if o["kind"] == "FLATE")
            _check("(" in refs and ":-" in refs, "KPA: needs holes and reversed refs")
            _check(40 <= len(areas) <= 120, "KPA: 40-120 areas")
            _check(abs(sum(p.area for p in outline) - world.land.area) < 5, "KPA: must cover the kommune")
            report["kpa"] = len(areas)
        if name == "plan_rp_holmen.sos":
            _check(
                doc["charset"] == "iso8859_10" and b"\r\n" in raw and "å".encode() not in raw,
                "Holmen: ISO8859-10 bytes with CRLF",
            )
        if name == "ar5_utsnitt.sos":
            report["ar5_sosi"] = len(areas)

    gml_layers = _read(d / "plan_rp_slemmestad.gml", list_layers=True)
    _check(gml_layers == {"RpOmråde", "RpArealformålOmråde"}, f"GML layers {gml_layers}")
    gml = _read(d / "plan_rp_slemmestad.gml", "RpArealformålOmråde")
    _check(gml.crs.to_epsg() == SRID and len(gml) >= 4 and "arealformål" in gml.columns, "GML fields")
    for name, key in (
        ("plan_rb_1985_vollen.geojson", "reguleringsformal"),
        ("plan_rp_forslag_tofte.geojson", "arealformal"),
    ):
        df = _read(d / name)
        _check(key in df.columns and df.crs.to_epsg() == 4326, f"{name}: fields")
    tofte = _read(d / "plan_rp_forslag_tofte.geojson")
    _check(set(tofte.planstatus) == {2}, "Tofte: planstatus 2")

    pts = _read(d / "bygningspunkt.geojson")
    fkb = _read(d / "fkb_bygning.gpkg", "bygning")
    _check(pts.crs.to_epsg() == SRID and fkb.crs.to_epsg() == SRID, "buildings: CRS")
    _check(list(pts.bygningsnummer) == list(fkb.bygningsnummer), "buildings: same numbers")
    _check(1300 <= len(pts) <= 1700 and pts.bygningsnummer.is_unique, "buildings: count/unique")
    _check(all(boundary.contains(g) for g in fkb.geometry), "buildings: outside the kommune")
    report["buildings"] = len(pts)

    tett = _read(d / "tettsteder.geojson")
    _check(tett.crs.to_epsg() == 25833, "tettsteder: EPSG:25833")
    oslo = tett[tett.tettstednavn == "Oslo"].to_crs(SRID).geometry.iloc[0]
    _check(not world.land.buffer(1).contains(oslo), "tettsteder: Oslo must cross the border")
    report["tettsteder"] = len(tett)

    ar5 = _read(d / "ar5.gpkg", "ar5")
    _check(ar5.crs.to_epsg() == SRID and 500 <= len(ar5) <= 3000, "ar5: CRS/count")
    _check(set(ar5.arealtype) <= {11, 12, 21, 22, 23, 30, 50, 60, 70, 81, 82, 99}, "ar5: codes")
    left, right = STRtree(ar5.geometry.values).query(ar5.geometry.values, predicate="overlaps")
    _check(len(left) == 0 and len(right) == 0, "ar5: polygons overlap")
    report["ar5"] = len(ar5)
    import sqlite3

    for name in ("ar5.gpkg", "fkb_bygning.gpkg"):
        con = sqlite3.connect(f"file:{d / name}?mode=ro", uri=True)
        version = con.execute("PRAGMA user_version").fetchone()[0]
        con.close()
        _check(version == 10300, f"{name}: GeoPackage version {version}, want 1.3")

    for name in ("hovedveg.geojson", "hovedveg_kryss.geojson", "centres.geojson"):
        df = _read(d / name)
        _check(df.crs.to_epsg() == 4326 and len(df) > 0, f"{name}")
        _check(all(boundary.contains(g) for g in df.to_crs(SRID).geometry), f"{name}: outside")

    walk = _read(d / "gangnett.geojson")
    _check(walk.crs.to_epsg() == SRID and len(walk) > 0, "gangnett.geojson: CRS/count")
    _check(
        all(g.geom_type == "LineString" and g.length > 0 for g in walk.geometry), "gangnett.geojson: geometry"
    )
    _check(all(boundary.contains(g) for g in walk.geometry), "gangnett.geojson: outside")
    report["walk"] = len(walk)

    report.update(_validate_gtfs(d / "gtfs_asker.zip"))

    for name in ("ssb_11616.json", "ssb_07459_befolkning.json"):
        ds = json.loads((d / name).read_text(encoding="utf-8"))
        _check(ds["class"] == "dataset" and ds["version"] == "2.0", f"{name}: header")
        _check(math.prod(ds["size"]) == len(ds["value"]), f"{name}: size vs value")
        dims = [len(ds["dimension"][i]["category"]["index"]) for i in ds["id"]]
        _check(dims == ds["size"], f"{name}: dims")
    with open(d / "statistikk_tettsted.csv", encoding="utf-8", newline="") as fh:
        stat = list(csv.DictReader(fh, delimiter=";"))
    _check(list(stat[0]) == STAT_COLUMNS and {r["kind"] for r in stat} == {"result", "ambition"}, "stat")
    return report


def _validate_gtfs(path: Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as z:
        t = {n: list(csv.DictReader(io.TextIOWrapper(z.open(n), encoding="utf-8"))) for n in z.namelist()}
    for req in ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt"):
        _check(req in t, f"GTFS: {req} missing")
    stops = {s["stop_id"]: s for s in t["stops.txt"]}
    _check(
        all(s["parent_station"] in stops for s in stops.values() if s["location_type"] == "0"),
        "GTFS: quay without parent",
    )
    routes = {r["route_id"]: r for r in t["routes.txt"]}
    trips = {r["trip_id"]: r for r in t["trips.txt"]}
    _check(all(r["route_id"] in routes for r in trips.values()), "GTFS: trip without route")
    _check({r["route_type"] for r in routes.values()} == {"2", "3", "109"}, "GTFS: route types")
    by_trip: dict[str, list[dict[str, str]]] = {}
    for st in t["stop_times.txt"]:
        _check(stops[st["stop_id"]]["location_type"] == "0", "GTFS: stop_times must use quays")
        by_trip.setdefault(st["trip_id"], []).append(st)
    _check(set(by_trip) == set(trips), "GTFS: trips without stop_times")
    for seq in by_trip.values():
        times = [s["departure_time"] for s in sorted(seq, key=lambda s: int(s["stop_sequence"]))]
        _check(len(times) >= 2 and times == sorted(times), "GTFS: times must increase")
    # Departures per hour at 12:00-13:00, both directions, last stop of a trip excluded.
    dep: dict[str, int] = {}
    for seq in by_trip.values():
        for s in sorted(seq, key=lambda s: int(s["stop_sequence"]))[:-1]:
            if "12:00:00" <= s["departure_time"] < "13:00:00":
                parent = stops[s["stop_id"]]["parent_station"]
                dep[parent] = dep.get(parent, 0) + 1
    hub_name = DEMO_KOMMUNE.rail_hub
    hub = next(k for k, s in stops.items() if s["stop_name"] == hub_name and s["location_type"] == "1")
    _check(dep.get(hub, 0) == 8, f"GTFS: {hub_name} has {dep.get(hub)} departures/h")
    rail = [k for k, s in stops.items() if s["location_type"] == "1" and s["stop_name"].endswith("stasjon")]
    _check(all(2 <= dep.get(k, 0) <= 4 for k in rail if k != hub), "GTFS: other stations 2-4/h")
    places = [s for s in stops.values() if s["location_type"] == "1"]
    return {"rail_stations": len(rail), "bus_stops": len(places) - len(rail), "trips": len(trips)}
