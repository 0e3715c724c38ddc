"""Data sources as investors read them: a name and a date, never an internal file name."""

from __future__ import annotations

from gis.text import Text

SOURCE_TITLES: dict[str, Text] = {
    "kommune": Text("Kommunegrense (Kartverket)", "Municipal boundary (Kartverket)"),
    "sites": Text("Næringsarealer (kommunens register)", "Business sites (the municipality's register)"),
    "tettsteder": Text("Tettsteder (SSB)", "Urban settlements (Statistics Norway)"),
    "centres": Text("Senterstruktur (kommuneplanen)", "Centre structure (municipal plan)"),
    "main_roads": Text("Hovedvegnett", "Main road network"),
    "road_junctions": Text("Kryss på hovedvegnettet", "Main road junctions"),
    "walk_network": Text("Gangnett", "Walking network"),
    "statistics": Text("Statistikk (SSB)", "Statistics (Statistics Norway)"),
    "transit": Text("Kollektivtrafikk (Entur)", "Public transport (Entur)"),
    "plans": Text(
        "Arealplaner (kommunens planregister)", "Land-use plans (the municipality's plan register)"
    ),
    "land_cover": Text("Arealressurskart AR5 (NIBIO)", "Land resource map AR5 (NIBIO)"),
    "buildings": Text("Bygningspunkter (Matrikkelen)", "Building points (Norwegian cadastre)"),
    "building_footprints": Text("Bygningsomriss (FKB-Bygning)", "Building outlines (FKB-Bygning)"),
    "focus_areas": Text(
        "Fokusområder (Temaplan for næring)", "Focus areas (the municipality's business plan)"
    ),
}
OTHER_SOURCE = Text("Andre kartdata", "Other map data")


def source_title(source: str, lang: str) -> str:
    """The name of a loaded source in the page's language."""
    return SOURCE_TITLES.get(source, OTHER_SOURCE)(lang)
