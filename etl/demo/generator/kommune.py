"""Which kommune the demo is for: its number, name, projection and demo texts, from its TOML file.

The kommune file is the app's (NAERINGSKART_KOMMUNE_FILE, default Asker's); its [demo] section
names the input files and the invented plan, and empty values are derived from name and number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gis.abc.settings import AbcSettings
from gis.config import KommuneConfig, load_settings

# SOSI ..KOORDSYS codes of the EUREF89 UTM zones a Norwegian kommune stores its data in.
SOSI_KOORDSYS = {25832: 22, 25833: 23, 25835: 25}


@dataclass(frozen=True)
class DemoKommune:
    kommunenummer: str
    name: str
    srid: int  # EPSG code of the projected CRS the demo's UTM files use
    boundary_file: str
    places_file: str
    owner: str  # SOSI ..EIER
    site_id_prefix: str
    kpa_planid: str
    kpa_name: str
    boundary_source: str
    indicators: dict[str, Any]  # the kommune file's [indicators]: the plan's published figures
    rail_hubs: tuple[str, ...]  # [abc.transit] rail_hubs: the demo's A-site lies by the first

    @property
    def sosi_koordsys(self) -> int:
        return SOSI_KOORDSYS[self.srid]

    @property
    def crs_urn(self) -> str:
        """The legacy GeoJSON "crs" name of the UTM files."""
        return f"urn:ogc:def:crs:EPSG::{self.srid}"

    @property
    def rail_hub(self) -> str:
        """The station the demo's transit is busiest at and its A-site lies beside."""
        if not self.rail_hubs:
            raise RuntimeError(
                f"{self.name}: the kommune file names no [abc.transit] rail_hubs; "
                "the demo needs one (a rail station of the places file)"
            )
        return self.rail_hubs[0]

    @property
    def plan_source(self) -> str:
        """The kommune's plan the real figures in statistikk_tettsted.csv come from."""
        return str(self.indicators.get("published_source", "Kommunens næringsplan"))


def demo_kommune(config: KommuneConfig) -> DemoKommune:
    demo = config.demo
    slug = config.name.lower()
    return DemoKommune(
        kommunenummer=config.kommunenummer,
        name=config.name,
        srid=config.storage_srid,
        boundary_file=demo.boundary_file or f"{slug}_kommune_{config.kommunenummer}.geojson",
        places_file=demo.places_file or f"{slug}_places.csv",
        owner=demo.owner or f"{config.name} kommune (fiktive demodata)",
        site_id_prefix=demo.site_id_prefix or config.name[:3].upper(),
        kpa_planid=demo.kpa_planid,
        kpa_name=demo.kpa_name,
        boundary_source=demo.boundary_source,
        indicators=dict(config.extra.get("indicators", {})),
        rail_hubs=tuple(AbcSettings.from_kommune(config).transit.rail_hubs),
    )


def configured_kommune() -> DemoKommune:
    """The kommune of the app's settings (NAERINGSKART_KOMMUNE_FILE)."""
    return demo_kommune(load_settings().kommune)
