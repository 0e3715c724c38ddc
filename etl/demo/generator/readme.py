"""etl/demo/README.md, written from the counts of what was generated."""

from __future__ import annotations

from pathlib import Path

from etl.demo.generator.common import DEMO_KOMMUNE, KOMMUNE, UTM_CRS
from etl.demo.generator.station_site import STATION_SITE
from etl.demo.generator.writers import write_text


def write_readme(out: Path, counts: dict[str, int]) -> None:
    c = counts
    k = DEMO_KOMMUNE
    station_number = c["sites"] + c["template"]  # numbered after the template rows
    # fmt: off
    rows = [
        (k.boundary_file, "GeoJSON, WGS84 (input, copied unchanged)",
         f"**REAL** {k.name} kommune boundary, {k.boundary_source}"),
        (k.places_file, "CSV, WGS84 lat/lon (input, copied unchanged)",
         "Stations, centres and E18/E134 junctions: **approximate positions (±300 m), not surveyed**."),
        ("sites.geojson", "GeoJSON RFC 7946, WGS84",
         (f"FICTIONAL: {c['sites']} available business sites {k.site_id_prefix}-001… (polygons; "
         f"`area_m2` = area in {UTM_CRS}; `planner_note` is internal and must never be shown publicly; "
         f"3 have `published=false`; the last, {k.site_id_prefix}-{station_number:03d} beside "
         f"{STATION_SITE[1]}, gives the demo an A-site with the default ABC thresholds).")),
        ("sites_template.csv", "CSV, UTF-8, `;`-separated",
         (f"FICTIONAL: the planners' spreadsheet template with {c['template']} extra sites; same columns as "
         f"sites.geojson plus `wkt` (polygon, {UTM_CRS}) or `lat`/`lon` (point, WGS84); "
         "the unused ones empty.")),
        ("sites_template.xlsx", "XLSX (sheet `arealer`, help in `veiledning`)",
         "FICTIONAL: the same template rows as the CSV."),
        ("plan_kpa_asker.sos", f"SOSI 4.5, UTF-8, KOORDSYS {k.sosi_koordsys} ({UTM_CRS}), ENHET 0.01",
         (f"FICTIONAL kommuneplanens arealdel (plantype 20, PLANID {k.kpa_planid}): {c['kpa']} "
         "KpArealformålOmråde FLATEs on shared KURVEs (KpArealformålGrense/KpGrense), holes, reversed refs; "
         "KpOmråde outline FLATEs carry the plan attributes. Framtidig (AREALST 2) næring on farmland.")),
        ("plan_rp_kjekstad.sos", f"SOSI 4.5, UTF-8, {UTM_CRS}",
         "FICTIONAL detaljregulering Kjekstad næringspark (plantype 35, planstatus 3, vedtatt 2023-04-12)."),
        ("plan_rp_holmen.sos", f"SOSI 4.5, **ISO8859-10 bytes, CRLF**, {UTM_CRS}",
         "FICTIONAL detaljregulering Holmen næringsområde (plantype 35, planstatus 3, vedtatt 2019-09-03)."),
        ("plan_rp_slemmestad.gml", f"SOSI-GML (GML 3.2), {UTM_CRS}; layers `RpOmråde`, `RpArealformålOmråde`",
         "FICTIONAL detaljregulering Slemmestad sentrum vest (Reguleringsplan 4.5-style)."),
        ("plan_rb_1985_vollen.geojson", "GeoJSON RFC 7946, WGS84",
         "FICTIONAL PBL 1985 reguleringsplan (plantype 30), 3-digit `reguleringsformal`."),
        ("plan_rp_forslag_tofte.geojson", "GeoJSON RFC 7946, WGS84",
         "FICTIONAL planforslag (planstatus 2, not adopted) rezoning farmland near Tofte to 1300."),
        ("bygningspunkt.geojson", f"GeoJSON, **{UTM_CRS}** with a legacy `crs` member",
         (f"FICTIONAL Matrikkelen-Bygningspunkt-style points: {c['buildings']} buildings "
         "(`bygningsnummer`, NS 3457 `bygningstype`, `bygningsstatus` TB/IG/FA, `kommunenummer`).")),
        ("fkb_bygning.gpkg", f"GeoPackage 1.3, layer `bygning`, {UTM_CRS}",
         ("FICTIONAL footprints (rotated rectangles) of the same buildings "
         "(`bygningsnummer`, `bygningstype`).")),
        ("tettsteder.geojson", "GeoJSON, **EPSG:25833** with a legacy `crs` member",
         (f"FICTIONAL SSB-style tettsteder ({c['tettsteder']} Polygon/MultiPolygon features; "
          "`tettstednummer`, `tettstednavn`, `totalBefolkning`); «Oslo» runs over the kommune border "
          "to the north-east: clip it.")),
        ("centres.geojson", "GeoJSON RFC 7946, WGS84",
         f"Senterstruktur from {k.places_file} (`name`, `level`); approximate positions."),
        ("ssb_11616.json", "JSON-stat 2.0 (PxWebApi v2 shape)",
         (f"FICTIONAL values for SSB table 11616 (Region {KOMMUNE} × 5 contents × 2015–2024): employed by "
         "residence and workplace, in-/out-commuting, living and working in the kommune.")),
        ("ssb_07459_befolkning.json", "JSON-stat 2.0 (PxWebApi v2 shape)",
         f"FICTIONAL population of {KOMMUNE}, 2015–2024."),
        ("statistikk_tettsted.csv", "CSV, UTF-8, `;`-separated",
         ("Workplaces per tettsted 2020–2024 (FICTIONAL, `fictional=true`) and **REAL** figures from "
         f"{k.name} kommune's «{k.plan_source}» (`fictional=false`): results (`kind=result`) and "
         "ambitions (`kind=ambition`).")),
        ("ar5.gpkg", f"GeoPackage 1.3, layer `ar5`, {UTM_CRS}",
         (f"FICTIONAL NIBIO AR5-style land cover, {c['ar5']} polygons south of the E18 (`arealtype`, "
         "`treslag`, `skogbonitet`, `grunnforhold`), farmland under the planned business land.")),
        ("ar5_utsnitt.sos", f"SOSI 4.5, UTF-8, {UTM_CRS}",
         f"FICTIONAL AR5 extract near Røyken: {c['ar5_sosi']} ArealressursFlate FLATEs with ..ARTYPE."),
        ("gtfs_asker.zip", ("GTFS (agency, stops, routes, trips, stop_times, calendar, calendar_dates, "
         "feed_info)"), (f"FICTIONAL weekday timetable 2026: {c['rail_stations']} rail stations and "
         f"{c['bus_stops']} bus stops (NSR:StopPlace with NSR:Quay children), {c['trips']} trips 05–24.")),
        ("hovedveg.geojson", "GeoJSON RFC 7946, WGS84",
         ("Approximate (FICTIONAL geometry) E18, E134, Fv165, Fv167 "
         "(`vegnummer`, `vegkategori` E/F, `navn`).")),
        ("hovedveg_kryss.geojson", "GeoJSON RFC 7946, WGS84",
         f"E18/E134 junctions from {k.places_file} (`name`, `vegnummer`); approximate positions."),
        ("gangnett.geojson", f"GeoJSON, **{UTM_CRS}** with a legacy `crs` member",
         (f"FICTIONAL walking network for the ABC analysis: {c.get('walk', 0)} street and path "
          "segments (`path_key`, `kind` fortau/gangveg/sti, `fictional`) on a 100 m grid within "
          "600 m of every station and centre with diagonal avenues out from each, split at every "
          "crossing, with a short path from each "
          "station and centre to the grid; not the real street network.")),
    ]
    lines = [
        f"# Demo data for Næringskart: {k.name} kommune ({KOMMUNE})",
        "",
        ("**Everything here is FICTIONAL demo data**, except the kommune boundary (real, © Kartverket, "
        "CC BY 4.0, simplified), the approximate places list, and the rows of `statistikk_tettsted.csv` "
        f"marked `fictional=false` (real figures from {k.name} kommune's «{k.plan_source}»)."),
        "",
        ("Regenerate with `python etl/demo/generate.py` (uses only the two input files in this folder; "
        "fixed seeds, no network, no clock: two runs give byte-identical files). This README is written "
        "by the generator too; edit it there."),
        "",
        "| file | format / CRS | content |",
        "|---|---|---|",
        *[f"| `{name}` | {fmt} | {what} |" for name, fmt, what in rows],
        "",
        "Notes for consumers:",
        "",
        ("- SOSI files use the element names of real exports: `..KPAREALFORMÅL` and `..AREALST` "
        "(arealbruksstatus) on KpArealformålOmråde, `..RPAREALFORMÅL` on RpArealformålOmråde, `..PLANSTAT`, "
        "`..PLANTYPE`, `..IKRAFT`, `..VEDTAKENDELIGPLAN`, `..NASJONALAREALPLANID` (`...KOMM`, `...PLANID`), "
        "`..UTNYTT` (`...UTNTYP`, `...UTNTALL`). Plan outlines are KpOmråde/RpOmråde FLATEs."),
        ("- `statistikk_tettsted.csv`: `comparator` says how to read `value`: `=` exact, `~` approximately, "
        "and for ambitions `<=` (rank or dekar at most), `>=` (at least), `>` (more than). An empty `year` "
        "means the plan gives no year."),
        ("- GTFS: departures per hour (both directions, a trip's last stop not counted) are 8 at "
        f"{k.rail_hub} and 4 at the other stations (L1 all stations and the fictional express R13 "
        "Spikkestad–Asker–Billingstad, each every 30 min); buses 1–6 per hour and direction between 06 "
        "and 20, half as often before 06 and after 20. Stop times use the quays (`NSR:Quay:…`), whose "
        "`parent_station` is the `NSR:StopPlace:…`."),
    ]
    # fmt: on
    write_text(out / "README.md", "\n".join(lines) + "\n")
