"""The demo data set: which file in etl/demo loads as which source, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from etl.load import LoadResult, load_source

DEMO_DIR = Path(__file__).resolve().parent / "demo"


@dataclass(frozen=True)
class DemoFile:
    """One demo file and the source it loads as."""

    source: str
    file_name: str
    layer: str | None = None


DEMO_FILES: tuple[DemoFile, ...] = (
    DemoFile("kommune", "asker_kommune_3203_2024.geojson"),
    DemoFile("sites", "sites.geojson"),
    DemoFile("sites", "sites_template.csv"),
    DemoFile("sites", "sites_template.xlsx"),
    DemoFile("tettsteder", "tettsteder.geojson"),
    DemoFile("centres", "centres.geojson"),
    DemoFile("main_roads", "hovedveg.geojson"),
    DemoFile("road_junctions", "hovedveg_kryss.geojson"),
    # Fictional street/path grid: walking distances to stops along the network (ABC analysis).
    DemoFile("walk_network", "gangnett.geojson"),
    DemoFile("transit", "gtfs_asker.zip"),
    DemoFile("statistics", "ssb_11616.json"),
    DemoFile("statistics", "ssb_07459_befolkning.json"),
    DemoFile("statistics", "statistikk_tettsted.csv"),
    DemoFile("plans", "plan_kpa_asker.sos"),
    DemoFile("plans", "plan_rp_kjekstad.sos"),
    DemoFile("plans", "plan_rp_holmen.sos"),
    DemoFile("plans", "plan_rp_slemmestad.gml"),
    DemoFile("plans", "plan_rb_1985_vollen.geojson"),
    DemoFile("plans", "plan_rp_forslag_tofte.geojson"),
    DemoFile("land_cover", "ar5.gpkg"),
    DemoFile("land_cover", "ar5_utsnitt.sos"),
    DemoFile("buildings", "bygningspunkt.geojson"),
    DemoFile("building_footprints", "fkb_bygning.gpkg"),
    # Illustrative focus area "Asker syd" (fictional outline) for the investor pages.
    DemoFile("focus_areas", "focus_areas.geojson"),
)


def load_demo(engine: Engine, storage_srid: int,
              report: Callable[[LoadResult], None] | None = None) -> list[LoadResult]:
    """Load every demo file; files loaded before are skipped by checksum."""
    results = []
    for demo in DEMO_FILES:
        result = load_source(engine, demo.source, DEMO_DIR / demo.file_name,
                             storage_srid=storage_srid, layer=demo.layer)
        if report:
            report(result)
        results.append(result)
    refresh_tile_overviews(engine)
    return results


def refresh_tile_overviews(engine: Engine) -> None:
    """Rebuild the map's low-zoom overview tables after the loads (tiles also do it lazily)."""
    from gis.db import raw_connection
    from gis.tiles import refresh_overviews

    with raw_connection(engine) as conn:
        refresh_overviews(conn)
        conn.commit()
