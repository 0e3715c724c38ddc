"""Build every theme, write every file, validate, write the README."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import pyogrio

from etl.demo.generator.ar5 import build_ar5, write_ar5, write_ar5_sosi
from etl.demo.generator.buildings import build_buildings, write_buildings
from etl.demo.generator.common import DEMO_DIR
from etl.demo.generator.gtfs import build_gtfs, write_gtfs
from etl.demo.generator.kpa import build_kpa
from etl.demo.generator.plan_files import write_kpa_sosi, write_plan_geojson, write_rp_gml, write_rp_sosi
from etl.demo.generator.plan_layouts import build_plan_layouts
from etl.demo.generator.readme import write_readme
from etl.demo.generator.roads import build_roads, road_corridors, write_roads
from etl.demo.generator.sites import build_sites, write_sites
from etl.demo.generator.ssb import write_ssb
from etl.demo.generator.station_site import build_station_site
from etl.demo.generator.statistics import write_statistics
from etl.demo.generator.template import write_template
from etl.demo.generator.tettsteder import build_tettsteder, write_tettsteder
from etl.demo.generator.validate import validate
from etl.demo.generator.walking import build_walk_network, write_walk_network
from etl.demo.generator.world import load_world, write_centres


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate the FICTIONAL demo data set for Næringskart.")
    ap.add_argument("--no-validate", action="store_true", help="skip reading every output back")
    ap.add_argument(
        "--out",
        type=Path,
        default=DEMO_DIR,
        help="folder to write into (default: the demo folder, beside the input files)",
    )
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    # GeoPackage stores a last-change timestamp; pin it so the files do not change per run.
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2026-01-01T00:00:00.000Z"})

    world = load_world()
    roads = build_roads(world)
    corridors = road_corridors(roads)
    tett = build_tettsteder(world)
    plans = build_plan_layouts(world)
    kpa = build_kpa(world, plans, corridors)
    sites, template = build_sites(world, kpa, plans, tett, corridors)
    buildings = build_buildings(world, kpa, plans, sites, template, corridors)
    ar5 = build_ar5(world, kpa, plans, roads, tett)
    gtfs = build_gtfs(world, corridors)
    station_site = build_station_site(world, tett, corridors, sites + template, buildings)
    walk = build_walk_network(world)

    write_sites(out, [*sites, station_site])
    write_template(out, template)
    write_kpa_sosi(out, world, kpa)
    write_rp_sosi(out, plans)
    write_rp_gml(out, plans["slemmestad"])
    write_plan_geojson(
        plans["vollen"], out / "plan_rb_1985_vollen.geojson", "RbFormålOmråde", "reguleringsformal"
    )
    write_plan_geojson(
        plans["tofte"], out / "plan_rp_forslag_tofte.geojson", "RpArealformålOmråde", "arealformal"
    )
    write_buildings(out, buildings)
    write_tettsteder(out, tett)
    write_centres(out, world)
    write_ssb(out)
    write_statistics(out, tett)
    write_ar5(out, ar5)
    write_ar5_sosi(out, kpa, ar5)
    write_gtfs(out, gtfs)
    write_roads(out, world, roads)
    write_walk_network(out, walk)

    if args.no_validate:
        counts = {
            "sites": len(sites) + 1,
            "walk": len(walk),
            "template": len(template),
            "kpa": len(kpa.parts),
            "buildings": len(buildings),
            "tettsteder": len(tett),
            "ar5": len(ar5),
            "ar5_sosi": 0,
            "rail_stations": 0,
            "bus_stops": 0,
            "trips": 0,
        }
    else:
        counts = validate(out, world)
    write_readme(out, counts)
    for path in sorted(out.iterdir()):
        if path.is_file() and path.suffix != ".py":
            print(f"{path.stat().st_size:>9,}  {path.name}")
    return 0
