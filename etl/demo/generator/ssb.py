"""SSB tables as JSON-stat 2.0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from etl.demo.generator.common import DEMO_KOMMUNE, KOMMUNE, rng_for
from etl.demo.generator.writers import write_text

YEARS = list(range(2015, 2025))


def jsonstat(
    table: str, label: str, contents: list[tuple[str, str, str]], values: list[int], note: str
) -> dict[str, Any]:
    """A JSON-stat 2.0 dataset shaped like SSB's PxWebApi v2 output (Region x
    ContentsCode x Tid), with the fiction stated in label, note and extension."""
    return {
        "version": "2.0",
        "class": "dataset",
        "label": f"{table}: {label} (FIKTIVE TALL / fictional values)",
        "source": "Statistisk sentralbyrå (tabellstruktur); tallene er fiktive",
        "note": [
            note,
            (
                "FIKTIVE TALL - demodata for Næringskart, ikke fra SSB. "
                "Fictional values for demonstration only."
            ),
        ],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [1, len(contents), len(YEARS)],
        "dimension": {
            "Region": {
                "label": "region",
                "category": {"index": {KOMMUNE: 0}, "label": {KOMMUNE: DEMO_KOMMUNE.name}},
            },
            "ContentsCode": {
                "label": "statistikkvariabel",
                "category": {
                    "index": {c: i for i, (c, _, _) in enumerate(contents)},
                    "label": {c: lab for c, lab, _ in contents},
                    "unit": {c: {"base": unit, "decimals": 0} for c, _, unit in contents},
                },
            },
            "Tid": {
                "label": "år",
                "category": {
                    "index": {str(y): i for i, y in enumerate(YEARS)},
                    "label": {str(y): str(y) for y in YEARS},
                },
            },
        },
        "extension": {
            "px": {"tableid": table, "language": "no", "decimals": 0, "official-statistics": False},
            "fictional": True,
        },
        "value": values,
    }


def write_ssb(out: Path) -> None:
    rng = rng_for("ssb")
    resident, workplace, both = [], [], []
    for i, _ in enumerate(YEARS):
        r = round(48200 * 1.0095**i + rng.uniform(-150, 150))
        w = round(35400 * 1.0075**i + rng.uniform(-150, 150))
        resident.append(r)
        workplace.append(w)
        both.append(round(r * rng.uniform(0.412, 0.425)))
    inn = [w - b for w, b in zip(workplace, both, strict=True)]
    ut = [r - b for r, b in zip(resident, both, strict=True)]
    contents = [
        ("Bosatte", "Bosatte sysselsatte (FIKTIVE TALL)", "personer"),
        ("SysselArbsted", "Sysselsatte etter arbeidssted (FIKTIVE TALL)", "personer"),
        ("Innpendling", "Innpendling (FIKTIVE TALL)", "personer"),
        ("Utpendling", "Utpendling (FIKTIVE TALL)", "personer"),
        ("BoArbeid", "Bor og arbeider i kommunen (FIKTIVE TALL)", "personer"),
    ]
    values = resident + workplace + inn + ut + both  # row-major: Region, ContentsCode, Tid
    ds = jsonstat(
        "11616",
        "Sysselsatte, pendling, etter region, statistikkvariabel og år",
        contents,
        values,
        f"Tall for årene før 2024 gjelder dagens {DEMO_KOMMUNE.name} ({KOMMUNE}).",
    )
    write_text(out / "ssb_11616.json", json.dumps(ds, ensure_ascii=False, indent=1) + "\n")
    pop = [round(94050 + 420 * i + rng.uniform(-120, 120)) for i in range(len(YEARS))]
    ds = jsonstat(
        "07459",
        "Befolkning, etter region, statistikkvariabel og år",
        [("Personer1", "Personer (FIKTIVE TALL)", "personer")],
        pop,
        "Folkemengde 1. januar.",
    )
    write_text(out / "ssb_07459_befolkning.json", json.dumps(ds, ensure_ascii=False, indent=1) + "\n")
