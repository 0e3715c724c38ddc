"""Plan files in the formats kommuner exchange: SOSI, SOSI-GML and GeoJSON."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from shapely.geometry import Polygon
from shapely.geometry.polygon import orient

from etl.demo.generator.common import (
    DEMO_KOMMUNE,
    FICTION_NOTE,
    KOMMUNE,
    NAVNEROM,
    SRID,
    rfc7946_geometry,
    stable_uuid,
)
from etl.demo.generator.kpa import Kpa
from etl.demo.generator.plan_layouts import PlanLayout
from etl.demo.generator.sosi import nasjonal_arealplan_id, sosi_document, sosi_header, sosi_ident, sosi_quote
from etl.demo.generator.topology import Flate, Topology, build_topology
from etl.demo.generator.world import World
from etl.demo.generator.writers import feature, write_geojson, write_text


def write_kpa_sosi(out: Path, world: World, kpa: Kpa) -> Topology:
    topo = build_topology([p for p, _ in kpa.parts])

    def attrs(f: Flate) -> list[str]:
        z = kpa.parts[f.label][1]
        lines = ["..OBJTYPE KpArealformålOmråde", f"..KPAREALFORMÅL {z.code}", f"..AREALST {z.status}"]
        if not z.name.startswith("LNFR"):
            lines.append(f"..OMRNAVN {sosi_quote(z.name)}")
        return (
            lines
            + nasjonal_arealplan_id(DEMO_KOMMUNE.kpa_planid)
            + sosi_ident("kpa", f.label, f.point)
            + ["..OPPDATERINGSDATO 20210617000000"]
        )

    outline = [
        "..OBJTYPE KpOmråde",
        *nasjonal_arealplan_id(DEMO_KOMMUNE.kpa_planid),
        f"..PLANNAVN {sosi_quote(DEMO_KOMMUNE.kpa_name)}",
        "..PLANTYPE 20",
        "..PLANSTAT 3",
        "..IKRAFT 20210617",
        "..VEDTAKENDELIGPLAN 20210617",
        "..LOVREFERANSE 6",
    ]
    header = sosi_header(
        charset="UTF-8",
        bounds=world.land.bounds,
        produktspek="Kommuneplan 4.5",
        comment=[FICTION_NOTE, "Kommunegrense: © Kartverket, CC BY 4.0 (forenklet)."],
    )
    text = sosi_document(
        topo,
        header=header,
        curve_objtypes=("KpGrense", "KpArealformålGrense"),
        flate_attrs=attrs,
        outline_attrs=outline,
    )
    write_text(out / "plan_kpa_asker.sos", text)
    return topo


def _rp_sosi(plan: PlanLayout, charset: str, path: Path) -> None:
    topo = build_topology([f.geom for f in plan.fields])

    def attrs(fl: Flate) -> list[str]:
        f = plan.fields[fl.label]
        lines = [
            "..OBJTYPE RpArealformålOmråde",
            f"..RPAREALFORMÅL {f.code}",
            f"..FELTNAVN {sosi_quote(f.feltnavn)}",
        ]
        if f.eierform is not None:
            lines.append(f"..EIERFORM {f.eierform}")
        if f.utnytting is not None:
            typ, tall = f.utnytting
            lines += ["..UTNYTT", f"...UTNTYP {typ}", f"...UTNTALL {tall:g}"]
        return lines + nasjonal_arealplan_id(plan.planid) + sosi_ident("rp", plan.key, f.feltnavn)

    assert plan.ikraft is not None
    outline = [
        "..OBJTYPE RpOmråde",
        *nasjonal_arealplan_id(plan.planid),
        f"..PLANNAVN {sosi_quote(plan.plannavn + ' (fiktiv)')}",
        f"..PLANTYPE {plan.plantype}",
        f"..PLANSTAT {plan.planstatus}",
        f"..IKRAFT {plan.ikraft}",
        f"..VEDTAKENDELIGPLAN {plan.ikraft}",
        "..LOVREFERANSE 6",
    ]
    header = sosi_header(
        charset=charset, bounds=plan.extent.bounds, produktspek="Reguleringsplan 4.5", comment=[FICTION_NOTE]
    )
    text = sosi_document(
        topo,
        header=header,
        curve_objtypes=("RpGrense", "RpFormålGrense"),
        flate_attrs=attrs,
        outline_attrs=outline,
    )
    if charset == "UTF-8":
        write_text(path, text)
    else:
        # An older export: ISO8859-10 bytes and CRLF line ends, as many kommune
        # systems still write them.
        path.write_bytes(text.replace("\n", "\r\n").encode("iso8859_10"))


def write_rp_sosi(out: Path, plans: dict[str, PlanLayout]) -> None:
    _rp_sosi(plans["kjekstad"], "UTF-8", out / "plan_rp_kjekstad.sos")
    _rp_sosi(plans["holmen"], "ISO8859-10", out / "plan_rp_holmen.sos")


def _iso_date(yyyymmdd: str | None) -> str | None:
    return None if yyyymmdd is None else f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}"


def _poslist(ring: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{x:.2f} {y:.2f}" for x, y in ring)


def write_rp_gml(out: Path, plan: PlanLayout) -> None:
    """SOSI-GML (Reguleringsplan 4.5 style): RpOmråde carries the plan attributes,
    RpArealformålOmråde the fields.  Coordinates are taken from the same noded
    topology as the SOSI files, so neighbours share exact vertices."""
    topo = build_topology([f.geom for f in plan.fields])
    ns = "http://skjema.geonorge.no/SOSI/produktspesifikasjon/Reguleringsplan/4.5"
    srs = f"http://www.opengis.net/def/crs/EPSG/0/{SRID}"
    minx, miny, maxx, maxy = plan.extent.bounds

    def polygon(poly: Polygon, gid: str) -> list[str]:
        poly = orient(poly, 1.0)
        parts = [
            f'<gml:Polygon gml:id="{gid}" srsName="{srs}" srsDimension="2">',
            (
                f"<gml:exterior><gml:LinearRing><gml:posList>{_poslist(poly.exterior.coords)}"
                "</gml:posList></gml:LinearRing></gml:exterior>"
            ),
        ]
        for ring in poly.interiors:
            parts.append(
                f"<gml:interior><gml:LinearRing><gml:posList>{_poslist(ring.coords)}"
                "</gml:posList></gml:LinearRing></gml:interior>"
            )
        return [*parts, "</gml:Polygon>"]

    def plan_id() -> list[str]:
        return [
            "<app:nasjonalArealplanId><app:NasjonalArealplanId>",
            f"<app:kommunenummer>{KOMMUNE}</app:kommunenummer>",
            f"<app:planidentifikasjon>{plan.planid}</app:planidentifikasjon>",
            "</app:NasjonalArealplanId></app:nasjonalArealplanId>",
        ]

    def ident(*parts: object) -> list[str]:
        return [
            "<app:identifikasjon><app:Identifikasjon>",
            f"<app:lokalId>{stable_uuid(*parts)}</app:lokalId>",
            f"<app:navnerom>{NAVNEROM}</app:navnerom>",
            "<app:versjonId>1</app:versjonId>",
            "</app:Identifikasjon></app:identifikasjon>",
        ]

    plan_gid = "_" + stable_uuid("gml", plan.key, "plan")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- {FICTION_NOTE} -->",
        (
            f'<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:app="{ns}" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" gml:id="_{stable_uuid("gml", plan.key)}">'
        ),
        (
            f'<gml:boundedBy><gml:Envelope srsName="{srs}" srsDimension="2">'
            f"<gml:lowerCorner>{minx:.2f} {miny:.2f}</gml:lowerCorner>"
            f"<gml:upperCorner>{maxx:.2f} {maxy:.2f}</gml:upperCorner></gml:Envelope></gml:boundedBy>"
        ),
    ]
    for i, outline in enumerate(topo.outline):
        lines += [
            "<gml:featureMember>",
            f'<app:RpOmråde gml:id="{plan_gid}{"-" + str(i) if i else ""}">',
            *ident("gml", plan.key, "plan", i),
            "<app:område>",
            *polygon(outline.polygon, f"{plan_gid}-g{i}"),
            "</app:område>",
            *plan_id(),
            f"<app:plannavn>{plan.plannavn} (fiktiv)</app:plannavn>",
            f"<app:plantype>{plan.plantype}</app:plantype>",
            f"<app:planstatus>{plan.planstatus}</app:planstatus>",
            f"<app:ikrafttredelsesdato>{_iso_date(plan.ikraft)}</app:ikrafttredelsesdato>",
            f"<app:vedtakEndeligPlanDato>{_iso_date(plan.ikraft)}</app:vedtakEndeligPlanDato>",
            "<app:lovreferanse>6</app:lovreferanse>",
            "</app:RpOmråde>",
            "</gml:featureMember>",
        ]
    for fl in topo.flates:
        f = plan.fields[fl.label]
        gid = "_" + stable_uuid("gml", plan.key, f.feltnavn)
        lines += [
            "<gml:featureMember>",
            f'<app:RpArealformålOmråde gml:id="{gid}">',
            *ident("gml", plan.key, f.feltnavn),
            "<app:område>",
            *polygon(fl.polygon, gid + "-g"),
            "</app:område>",
            f"<app:arealformål>{f.code}</app:arealformål>",
            f"<app:feltnavn>{f.feltnavn}</app:feltnavn>",
        ]
        if f.eierform is not None:
            lines.append(f"<app:eierform>{f.eierform}</app:eierform>")
        if f.utnytting is not None:
            lines += [
                "<app:utnytting><app:Utnytting>",
                f"<app:utnyttingstype>{f.utnytting[0]}</app:utnyttingstype>",
                f"<app:utnyttingstall>{f.utnytting[1]:g}</app:utnyttingstall>",
                "</app:Utnytting></app:utnytting>",
            ]
        lines += [
            *plan_id(),
            f'<app:planområde xlink:href="#{plan_gid}"/>',
            "</app:RpArealformålOmråde>",
            "</gml:featureMember>",
        ]
    lines.append("</gml:FeatureCollection>")
    write_text(out / "plan_rp_slemmestad.gml", "\n".join(lines) + "\n")


def write_plan_geojson(plan: PlanLayout, path: Path, objtype: str, code_key: str) -> None:
    """Flat properties as a kommune's WFS/GeoJSON export gives them (RFC 7946, WGS84)."""
    topo = build_topology([f.geom for f in plan.fields])
    feats = []
    for fl in topo.flates:
        f = plan.fields[fl.label]
        props: dict[str, Any] = {
            "objekttype": objtype,
            "kommunenummer": KOMMUNE,
            "planidentifikasjon": plan.planid,
            "plannavn": plan.plannavn + " (fiktiv)",
            "plantype": plan.plantype,
            "planstatus": plan.planstatus,
            "ikrafttredelsesdato": _iso_date(plan.ikraft),
            code_key: f.code,
            "feltnavn": f.feltnavn,
        }
        if code_key == "arealformal":
            props["eierform"] = f.eierform
            props["utnyttingstype"] = f.utnytting[0] if f.utnytting else None
            props["utnyttingstall"] = f.utnytting[1] if f.utnytting else None
        props["fictional"] = True
        feats.append(feature(props, rfc7946_geometry(fl.polygon)))
    write_geojson(path, feats)
