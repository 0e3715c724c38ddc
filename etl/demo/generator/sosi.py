"""SOSI 4.5 text: header, curve references, identifiers."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from etl.demo.generator.common import DEMO_KOMMUNE, KOMMUNE, NAVNEROM, stable_uuid
from etl.demo.generator.topology import Flate, Topology


def sosi_header(
    *, charset: str, bounds: tuple[float, float, float, float], produktspek: str, comment: Sequence[str]
) -> list[str]:
    minx, miny, maxx, maxy = bounds
    lines = [
        ".HODE",
        f"..TEGNSETT {charset}",
        "..TRANSPAR",
        f"...KOORDSYS {DEMO_KOMMUNE.sosi_koordsys}",
        "...ORIGO-NØ 0 0",
        "...ENHET 0.01",
        "..OMRÅDE",
        f"...MIN-NØ {math.floor(miny)} {math.floor(minx)}",
        f"...MAX-NØ {math.ceil(maxy)} {math.ceil(maxx)}",
        "..SOSI-VERSJON 4.5",
        "..SOSI-NIVÅ 4",
        f"..EIER {sosi_quote(DEMO_KOMMUNE.owner)}",
        '..PRODUSENT "Næringskart demo"',
        "..INNHOLD",
        f'...PRODUKTSPEK "{produktspek}"',
    ]
    return lines + [f"! {c}" for c in comment]


def sosi_refs(flate: Flate) -> list[str]:
    """..REF with outer ring first, then one parenthesised group per hole; long
    lists continue on following lines, as real exports do."""
    tokens = [f":{r}" for r in flate.outer]
    lines = []
    for i in range(0, len(tokens), 10):
        lines.append(("..REF " if i == 0 else "") + " ".join(tokens[i : i + 10]))
    for hole in flate.holes:
        lines.append("(" + " ".join(f":{r}" for r in hole) + ")")
    return lines


def sosi_quote(value: str) -> str:
    return '"' + value.replace('"', "'") + '"'


def sosi_document(
    topo: Topology,
    *,
    header: list[str],
    curve_objtypes: tuple[str, str],
    flate_attrs: Callable[[Flate], list[str]],
    outline_attrs: list[str] | None,
) -> str:
    """curve_objtypes: (type for curves on the outline, type for inner curves)."""
    lines = list(header)
    for cid, chain in enumerate(topo.curves, start=1):
        objtype = curve_objtypes[0] if topo.curve_on_outline[cid - 1] else curve_objtypes[1]
        lines += [f".KURVE {cid}:", f"..OBJTYPE {objtype}", "..NØ"]
        lines += [f"{n} {e}" for e, n in chain]  # SOSI order: north before east
    serial = len(topo.curves)
    groups: list[tuple[Flate, list[str]]] = [(f, flate_attrs(f)) for f in topo.flates]
    if outline_attrs is not None:
        groups += [(f, outline_attrs) for f in topo.outline]
    for flate, attrs in groups:
        serial += 1
        lines += [
            f".FLATE {serial}:",
            *attrs,
            *sosi_refs(flate),
            "..NØ",
            f"{flate.point[1]} {flate.point[0]}",
        ]
    lines.append(".SLUTT")
    return "\n".join(lines) + "\n"


def nasjonal_arealplan_id(planid: str) -> list[str]:
    return ["..NASJONALAREALPLANID", f"...KOMM {KOMMUNE}", f"...PLANID {sosi_quote(planid)}"]


def sosi_ident(*parts: object) -> list[str]:
    return [
        "..IDENT",
        f"...LOKALID {sosi_quote(stable_uuid(*parts))}",
        f"...NAVNEROM {sosi_quote(NAVNEROM)}",
        '...VERSJONID "1"',
    ]
