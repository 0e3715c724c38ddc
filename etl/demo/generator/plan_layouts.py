"""Regulated plans as fields laid out in a local frame."""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry import Polygon

from etl.demo.generator.shapes import LocalFrame, largest_polygon
from etl.demo.generator.world import World


@dataclass
class PlanField:
    feltnavn: str
    code: int
    geom: Polygon
    eierform: int | None = None  # 1 offentlig, 2 felles, 3 annen
    utnytting: tuple[int, float] | None = None  # (utnyttingstype, utnyttingstall)


@dataclass
class PlanLayout:
    key: str
    planid: str
    plannavn: str
    plantype: int
    planstatus: int
    ikraft: str | None  # YYYYMMDD
    fields: list[PlanField]

    @property
    def extent(self) -> Polygon:
        return largest_polygon(shapely.union_all([f.geom for f in self.fields], grid_size=0.01))

    def field(self, name: str) -> PlanField:
        return next(f for f in self.fields if f.feltnavn == name)


def _layout(
    frame: LocalFrame,
    spec: list[tuple[str, int, tuple[float, float, float, float], int | None, tuple[int, float] | None]],
) -> list[PlanField]:
    return [PlanField(name, code, frame.box(*uv), eier, utn) for name, code, uv, eier, utn in spec]


def build_plan_layouts(world: World) -> dict[str, PlanLayout]:
    """Fields are axis-parallel boxes in a rotated local frame beside the main road:
    plausible, non-overlapping, and tiling the plan area exactly."""
    plans: dict[str, PlanLayout] = {}

    # Kjekstad: beside E134, north-east side, long side along the road.
    jx, jy = world.xy("E134 Kjekstad")
    along, normal = (0.76, -0.65), (0.65, 0.76)
    fr = LocalFrame(
        jx + along[0] * 350 + normal[0] * 330, jy + along[1] * 350 + normal[1] * 330, 700, 420, -40.5
    )
    plans["kjekstad"] = PlanLayout(
        "kjekstad",
        "2021004",
        "Detaljregulering for Kjekstad næringspark",
        35,
        3,
        "20230412",
        _layout(
            fr,
            [
                ("BN1", 1300, (0, 0, 250, 195), 3, (16, 60)),
                ("BKL1", 1825, (250, 0, 470, 195), 3, (16, 55)),
                ("BI1", 1340, (470, 0, 700, 195), 3, (16, 50)),
                ("o_SV1", 2010, (0, 195, 700, 215), 1, None),
                ("BLA1", 1350, (0, 215, 300, 420), 3, (16, 60)),
                ("BN2", 1300, (300, 215, 520, 420), 3, (18, 120)),
                ("o_GF1", 3040, (520, 215, 700, 320), 1, None),
                ("LL1", 5110, (520, 320, 700, 420), 3, None),
            ],
        ),
    )

    # Holmen: west of the E18 junction, aligned with the motorway.
    jx, jy = world.xy("E18 Holmen/Nesbru")
    fr = LocalFrame(jx - 0.63 * 350 - 0.78 * 300, jy - 0.78 * 350 + 0.63 * 300, 520, 340, 51)
    plans["holmen"] = PlanLayout(
        "holmen",
        "2017012",
        "Detaljregulering for Holmen næringsområde",
        35,
        3,
        "20190903",
        _layout(
            fr,
            [
                ("BN1", 1300, (0, 0, 250, 200), 3, (16, 55)),
                ("BKL1", 1825, (0, 200, 250, 340), 3, (16, 50)),
                ("o_SV1", 2010, (250, 0, 268, 340), 1, None),
                ("BKL2", 1825, (268, 0, 520, 170), 3, (18, 140)),
                ("BF1", 1150, (268, 170, 520, 260), 3, (16, 45)),
                ("o_GF1", 3040, (268, 260, 520, 340), 1, None),
            ],
        ),
    )

    sx, sy = world.xy("Slemmestad")
    fr = LocalFrame(sx - 480, sy + 80, 420, 300, 0)
    plans["slemmestad"] = PlanLayout(
        "slemmestad",
        "2016007",
        "Detaljregulering for Slemmestad sentrum vest",
        35,
        3,
        "20170620",
        _layout(
            fr,
            [
                ("BN1", 1300, (0, 0, 200, 150), 3, (16, 60)),
                ("BKB1", 1800, (0, 150, 200, 300), 3, (18, 160)),
                ("o_SKV1", 2011, (200, 0, 215, 300), 1, None),
                ("BI1", 1340, (215, 0, 420, 180), 3, (16, 50)),
                ("o_GF1", 3040, (215, 180, 420, 300), 1, None),
            ],
        ),
    )

    vx, vy = world.xy("Vollen")
    fr = LocalFrame(vx - 330, vy + 160, 380, 260, 15)
    plans["vollen"] = PlanLayout(
        "vollen",
        "19880012",
        "Reguleringsplan for Vollen sentrum",
        30,
        3,
        "19880519",
        _layout(
            fr,
            [
                ("B1", 110, (0, 130, 180, 260), None, None),
                ("F1", 120, (0, 0, 180, 130), None, None),
                ("V1", 310, (180, 0, 195, 260), None, None),
                ("I1", 140, (195, 0, 380, 125), None, None),
                ("PB1", 611, (195, 125, 380, 140), None, None),
                ("G1", 230, (195, 140, 300, 260), None, None),
                ("L1", 210, (300, 140, 380, 260), None, None),
            ],
        ),
    )

    tx, ty = world.xy("Tofte")
    fr = LocalFrame(tx - 1020, ty + 1250, 480, 340, 10)
    plans["tofte"] = PlanLayout(
        "tofte",
        "2025003",
        "Detaljregulering for Tofte næringsområde nord (planforslag)",
        35,
        2,
        None,
        _layout(
            fr,
            [
                ("BN1", 1300, (0, 0, 230, 340), 3, (16, 50)),
                ("o_SKV1", 2011, (230, 0, 245, 340), 1, None),
                ("BN2", 1300, (245, 60, 480, 340), 3, (16, 50)),
                ("GV1", 3060, (245, 0, 480, 60), 3, None),
            ],
        ),
    )
    for p in plans.values():
        if not world.land_inner.contains(p.extent):
            raise RuntimeError(f"plan {p.key} is not inside the kommune")
    return plans
