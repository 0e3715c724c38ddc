"""What each source is: its target table, key, geometry and fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from etl.errors import LoadError
from gis import codes
from gis.sites import STATUSES

FieldType = Literal["text", "int", "numeric", "date", "bool"]
GeometryKind = Literal["MULTIPOLYGON", "POINT", "MULTILINESTRING", "GEOMETRY"]


@dataclass(frozen=True)
class Field:
    """A target column and the names it may have in a delivered file."""

    column: str
    type: FieldType = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    # A code list: any other non-empty value is rejected, naming the feature.
    allowed: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Names to look for in the file, best first."""
        return (self.column, *self.aliases)


@dataclass(frozen=True)
class Derived:
    """A target column computed from another column's value (e.g. a code's name or group)."""

    column: str
    source: str
    function: Callable[[Any], Any]
    type: FieldType = "text"
    # When the function gives None for a present value, the value is an unknown code: warn.
    warn_unknown: str | None = None


@dataclass(frozen=True)
class SourceSpec:
    """A source that loads from a vector file into one table, upserting on its key."""

    name: str
    table: str
    key: str
    geometry: GeometryKind
    fields: tuple[Field, ...]
    description: str
    # A delivery replaces the whole table (national data sets) instead of upserting by key.
    replace: bool = False
    # False: several features may share the key (it only names them in messages).
    unique_key: bool = True
    # Clip to the loaded kommune boundary after reprojection (national data sets).
    clip_to_kommune: bool = False
    # The name of its own loader, for a non-vector format (etl.load.OWN_LOADERS).
    loader: str | None = None
    # Each file is a delivery of its own (one plan, one AR5 sheet): "already loaded" and, with
    # replace, the rows replaced are those of earlier loads of the same file name.
    per_file: bool = False
    # Columns computed from a loaded column (bygningsgruppe from bygningstype).
    derived: tuple[Derived, ...] = ()
    # A national or county file holds many kommuner: keep only the configured one.
    one_kommune: bool = False
    # A custom loader that learns its extent only while writing: check the rows it wrote.
    geometry_checked_after_write: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        """Target columns, in field order."""
        return tuple(f.column for f in self.fields)


SOURCES: dict[str, SourceSpec] = {}


def register(spec: SourceSpec) -> SourceSpec:
    """Add a source to the registry (module import time is fine: it only builds data)."""
    if spec.name in SOURCES:
        raise ValueError(f"source {spec.name!r} registered twice")
    if spec.key not in spec.columns:
        raise ValueError(f"source {spec.name!r}: key {spec.key!r} is not one of its fields")
    SOURCES[spec.name] = spec
    return spec


def get_source(name: str) -> SourceSpec:
    """The source called `name`, or a LoadError listing the known ones."""
    try:
        return SOURCES[name]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise LoadError(f"unknown source {name!r}; known sources: {known}") from None


register(SourceSpec(
    name="kommune",
    table="kommune",
    key="kommunenummer",
    geometry="MULTIPOLYGON",
    fields=(
        Field("kommunenummer", required=True),
        Field("name", required=True, aliases=("kommunenavn", "navn")),
    ),
    description="Kommune boundary (Kartverket administrative units; a national file keeps only "
                "the configured kommune)",
    one_kommune=True,
))

register(SourceSpec(
    name="sites",
    table="site",
    key="site_key",
    geometry="MULTIPOLYGON",
    fields=(
        Field("site_key", required=True, aliases=("site_id", "id")),
        Field("name", required=True, aliases=("navn",)),
        Field("area_m2", "numeric", required=True, aliases=("areal_m2",)),
        Field("status", required=True, allowed=STATUSES),
        Field("readiness"),
        Field("planned_use"),
        Field("zoning_code"),
        Field("ownership"),
        Field("tettsted"),
        Field("contact_name"),
        Field("contact_email"),
        Field("contact_phone"),
        Field("description_nb"),
        Field("description_en"),
        Field("last_verified", "date"),
        Field("published", "bool"),
        Field("planner_note"),
        Field("fictional", "bool"),
    ),
    description="Available business sites (næringsarealer), GeoJSON or GeoPackage",
))

CENTRE_LEVELS = ("regionsenter", "kommunedelsenter", "lokalsenter", "nærsenter")

register(SourceSpec(
    name="tettsteder",
    table="tettsted",
    key="tettstednummer",
    geometry="MULTIPOLYGON",
    fields=(
        Field("tettstednummer", required=True, aliases=("tettstednr", "nummer")),
        Field("name", required=True, aliases=("tettstednavn", "navn")),
        Field("population", "int", aliases=("totalBefolkning", "befolkning", "bosatte")),
    ),
    description="SSB tettsteder (GML/GeoJSON, usually EPSG:25833), clipped to the kommune",
    replace=True,
    clip_to_kommune=True,
))

register(SourceSpec(
    name="centres",
    table="centre",
    key="name",
    geometry="GEOMETRY",
    fields=(
        Field("name", required=True, aliases=("navn", "sentrumsnavn", "sentrum")),
        Field("level", required=True, aliases=("nivå", "nivaa", "senternivå", "senternivaa"),
              allowed=CENTRE_LEVELS),
    ),
    description="The kommune's centre structure (senterstruktur), GeoJSON or GeoPackage",
    replace=True,
))

register(SourceSpec(
    name="main_roads",
    table="main_road",
    key="vegnummer",
    geometry="MULTILINESTRING",
    fields=(
        Field("vegnummer", required=True, aliases=("vegnr", "veg")),
        Field("vegkategori", aliases=("kategori",)),
    ),
    description="Links of the main road network (LineStrings), GeoJSON or GeoPackage",
    replace=True,
    unique_key=False,
))

register(SourceSpec(
    name="road_junctions",
    table="road_junction",
    key="name",
    geometry="POINT",
    fields=(
        Field("name", required=True, aliases=("navn", "kryssnavn")),
        Field("vegnummer", required=True, aliases=("vegnr", "veg")),
    ),
    description="Junctions of the main road network (points), GeoJSON or GeoPackage",
    replace=True,
))

register(SourceSpec(
    name="walk_network",
    table="walk_path",
    key="path_key",
    geometry="MULTILINESTRING",
    fields=(
        Field("path_key", aliases=("veglenkesekvensid", "vegref", "osm_id", "id")),
        Field("kind", aliases=("typeveg", "highway", "vegkategori", "type")),
        Field("name", aliases=("navn", "gatenavn", "adressenavn")),
        Field("fictional", "bool", aliases=("fiktiv",)),
    ),
    description="Walking network: road and path centre lines (Elveg/NVDB or an OSM export, "
                "LineStrings), GeoJSON or GeoPackage; lines are joined where they share a point",
    replace=True,
    unique_key=False,
))

register(SourceSpec(
    name="statistics",
    table="statistic",
    key="indicator",
    geometry="GEOMETRY",
    fields=(
        Field("indicator", required=True),
        Field("region", required=True),
        Field("year", "int", required=True),
        Field("value", "numeric"),
    ),
    description="SSB JSON-stat 2.0 (.json, PxWebApi v2) or the plain ;-separated CSV (.csv)",
    loader="statistics",
))

register(SourceSpec(
    name="transit",
    table="transit_stop",
    key="stop_id",
    geometry="POINT",
    fields=(
        Field("stop_id", required=True),
        Field("name", required=True),
        Field("mode", required=True, allowed=("rail", "bus", "tram", "metro", "ferry", "other")),
    ),
    description="Public transport from a GTFS zip (Entur): departures per stop place and mode",
    replace=True,
    loader="gtfs",
    geometry_checked_after_write=True,
))


def _ar5_name(value: Any) -> str | None:
    return codes.ar5_types().get(int(value))


def _building_group(value: Any) -> str:
    return codes.building_type(value).group


register(SourceSpec(
    name="plans",
    table="plan",
    key="nasjonal_arealplan_id",
    geometry="MULTIPOLYGON",
    fields=(Field("nasjonal_arealplan_id"),),
    description="Plans: KPA and reguleringsplaner, PBL 2008 and 1985 (SOSI, GML, GeoJSON, "
                "GeoPackage, Shapefile); a new version of a plan replaces the old, history kept",
    loader="plans",
    per_file=True,
))

register(SourceSpec(
    name="land_cover",
    table="land_cover",
    key="arealtype",
    unique_key=False,
    replace=True,
    per_file=True,
    geometry="MULTIPOLYGON",
    fields=(Field("arealtype", "int", required=True, aliases=("artype", "arealressursArealtype")),),
    derived=(Derived("arealtype_name", "arealtype", _ar5_name, warn_unknown="AR5 arealtype"),),
    description="Land cover, NIBIO AR5 (GML, GeoPackage, SOSI); a file replaces its earlier load",
))

_BUILDING_FIELDS = (
    Field("bygningsnummer", aliases=("byggnr", "bygningsnr", "bygningsNummer")),
    Field("bygningstype", aliases=("byggtyp_nbr", "bygningstypekode", "byggtype")),
)

register(SourceSpec(
    name="buildings",
    table="building",
    key="bygningsnummer",
    unique_key=False,
    replace=True,
    per_file=True,
    geometry="POINT",
    fields=(*_BUILDING_FIELDS,
            Field("bygningsstatus", aliases=("byggstat", "bygningsstatuskode")),
            Field("kommunenummer", aliases=("komm", "kommune"))),
    derived=(Derived("bygningsgruppe", "bygningstype", _building_group),),
    description="Matrikkelen-Bygningspunkt (GeoJSON, GML, SOSI); a file replaces its earlier load",
))

register(SourceSpec(
    name="building_footprints",
    table="building_footprint",
    key="bygningsnummer",
    unique_key=False,
    replace=True,
    per_file=True,
    geometry="MULTIPOLYGON",
    fields=_BUILDING_FIELDS,
    derived=(Derived("bygningsgruppe", "bygningstype", _building_group),),
    description="Building footprints, FKB-Bygning (GML, GeoPackage); a file replaces its "
                "earlier load",
))

register(SourceSpec(
    name="focus_areas",
    table="focus_area",
    key="name_nb",
    geometry="MULTIPOLYGON",
    fields=(
        Field("name_nb", required=True, aliases=("navn", "name")),
        Field("name_en", required=True, aliases=("navn_en",)),
        Field("text_nb", aliases=("tekst", "tekst_nb")),
        Field("text_en", aliases=("tekst_en",)),
        Field("illustrative", "bool", aliases=("illustrativ",)),
    ),
    description="Focus areas (særlige fokusområder) the plan names for investment, nb/en",
))
