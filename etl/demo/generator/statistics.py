"""Workplaces per tettsted (fictional) and the figures the kommune's plan publishes (real)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from etl.demo.generator.common import DEMO_KOMMUNE, KOMMUNE, rng_for
from etl.demo.generator.tettsteder import Tettsted
from etl.demo.generator.writers import write_text

STAT_COLUMNS = ["indicator", "region", "region_type", "year", "value", "unit", "source", "fictional",
                "kind", "comparator", "region_name", "note"]  # fmt: skip

# Asker's «Temaplan for næring 2020–2032»: results and ambitions by year.
# indicator, unit, comparator of the ambition, results, ambitions, name, note
# fmt: off
PLAN_SERIES: list[tuple[str, str, str, dict[int, float], dict[int, float], str, str]] = [
    ("nho_kommune_nm_rangering", "rangering", "<=", {2017: 12, 2018: 12, 2019: 13},
     {2021: 12, 2022: 12, 2023: 11, 2024: 10}, "NHO Kommune-NM, plass blant landets kommuner",
     "Mål: topp 10"),
    ("nho_kommune_nm_rangering_fylke", "rangering", "<=", {2017: 5, 2018: 5, 2019: 5},
     {2021: 4, 2022: 3, 2023: 3, 2024: 3}, "NHO Kommune-NM, plass i fylket", "Mål: topp 3"),
    ("arbeidsplassvekst_andel_av_befolkningsvekst", "prosent", ">", {2017: 56, 2018: 168, 2019: 9},
     {2021: 50, 2022: 50, 2023: 50, 2024: 50}, "Vekst i arbeidsplasser som andel av befolkningsveksten",
     "Ambisjon: over 50 %"),
    ("andel_bor_og_arbeider_i_kommunen", "prosent", ">=", {2017: 41.9, 2018: 42.3, 2019: 41.4},
     {2021: 41.4, 2022: 42.0, 2023: 42.5, 2024: 43.0}, "Andel som bor og arbeider i kommunen",
     "Mål: økning hvert år"),
    ("omdisponert_dyrka_jord", "dekar", "<=", {2017: 23, 2018: 260, 2019: 90},
     {2021: 15, 2022: 15, 2023: 15, 2024: 15}, "Omdisponert dyrka jord",
     "Nasjonalt jordvernmål, kommunens ambisjon høyst 15 daa per år"),
]
# fmt: on


def _about(value: int) -> str:
    """«Om lag 37 000»: the plan's rounded figure, spaced as Norwegian text."""
    return f"«Om lag {value:,}»".replace(",", " ")


def _published_rows() -> list[list[Any]]:
    """The plan's figures without a year (the kommune file's [indicators]): the year stays empty."""
    ind, name, source = DEMO_KOMMUNE.indicators, DEMO_KOMMUNE.name, DEMO_KOMMUNE.plan_source
    rows: list[list[Any]] = []
    if "published_kommune_workplaces" in ind:
        value = ind["published_kommune_workplaces"]
        rows.append(["arbeidsplasser", KOMMUNE, "kommune", "", value, "antall", source, "false", "result",
                     "~", name, f"{_about(value)} (planen oppgir ikke år)"])  # fmt: skip
    if "published_central_workplaces" in ind and "central_name" in ind:
        value, central = ind["published_central_workplaces"], ind["central_name"]
        centres = ", ".join(ind.get("central_centres", []))
        rows.append(["arbeidsplasser", central.lower().replace(" ", "_"), "område", "", value, "antall",
                     source, "false", "result", "~", f"{central} ({centres})",
                     f"{_about(value)} av arbeidsplassene i {name} (planen oppgir ikke år)"])  # fmt: skip
    former = ind.get("former_kommuner", {})
    for code, share in ind.get("published_egendekning_pct", {}).items():
        rows.append(["egendekning_arbeidsplasser", code, "kommune", "", share, "prosent", source, "false",
                     "result", "=", former.get(code, code),
                     "Arbeidsplasser delt på sysselsatte bosatte (planen oppgir ikke år)"])  # fmt: skip
    return rows


def write_statistics(out: Path, tett: list[Tettsted]) -> None:
    rng = rng_for("statistikk")
    name, source = DEMO_KOMMUNE.name, DEMO_KOMMUNE.plan_source
    rows: list[list[Any]] = []
    # Fictional: workplaces per tettsted (the kommune's part only), 2020-2024.
    for t in tett:
        for i, year in enumerate(range(2020, 2025)):
            value = round(t.workplaces_2024 * (0.94 + 0.015 * i) * rng.uniform(0.99, 1.01))
            note = f"Kun delen av tettstedet som ligger i {name}" if t.navn == "Oslo" else ""
            rows.append(["arbeidsplasser", t.nummer, "tettsted", year, value, "antall", "Fiktive demodata",
                         "true", "result", "=", t.navn, note])  # fmt: skip
    # Real: the plan's own published figures.
    for indicator, unit, comparator, results, ambitions, label, remark in PLAN_SERIES:
        for year, v in results.items():
            rows.append([indicator, KOMMUNE, "kommune", year, v, unit, source, "false", "result", "=",
                         name, label])  # fmt: skip
        for year, v in ambitions.items():
            rows.append([indicator, KOMMUNE, "kommune", year, v, unit, source, "false", "ambition",
                         comparator, name, f"{label}. {remark}"])  # fmt: skip
    rows += _published_rows()
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(STAT_COLUMNS)
    w.writerows(rows)
    write_text(out / "statistikk_tettsted.csv", buf.getvalue())
