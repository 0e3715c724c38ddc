"""Workplaces per tettsted and the plan's published figures."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from etl.demo.generator.common import KOMMUNE, rng_for
from etl.demo.generator.ssb import PLAN_SOURCE
from etl.demo.generator.tettsteder import Tettsted
from etl.demo.generator.writers import write_text

STAT_COLUMNS = [
    "indicator",
    "region",
    "region_type",
    "year",
    "value",
    "unit",
    "source",
    "fictional",
    "kind",
    "comparator",
    "region_name",
    "note",
]


def write_statistics(out: Path, tett: list[Tettsted]) -> None:
    rng = rng_for("statistikk")
    rows: list[list[Any]] = []
    # Fictional: workplaces per tettsted (Asker part only), 2020-2024.
    for t in tett:
        for i, year in enumerate(range(2020, 2025)):
            value = round(t.workplaces_2024 * (0.94 + 0.015 * i) * rng.uniform(0.99, 1.01))
            rows.append(
                [
                    "arbeidsplasser",
                    t.nummer,
                    "tettsted",
                    year,
                    value,
                    "antall",
                    "Fiktive demodata",
                    "true",
                    "result",
                    "=",
                    t.navn,
                    "Kun delen av tettstedet som ligger i Asker" if t.navn == "Oslo" else "",
                ]
            )
    # Real: the plan's own published figures (Temaplan for næring 2020-2032).
    real: list[tuple[str, str, str, dict[int, float], dict[int, float], str, str]] = [
        (
            "nho_kommune_nm_rangering",
            "rangering",
            "<=",
            {2017: 12, 2018: 12, 2019: 13},
            {2021: 12, 2022: 12, 2023: 11, 2024: 10},
            "NHO Kommune-NM, plass blant landets kommuner",
            "Mål: topp 10",
        ),
        (
            "nho_kommune_nm_rangering_fylke",
            "rangering",
            "<=",
            {2017: 5, 2018: 5, 2019: 5},
            {2021: 4, 2022: 3, 2023: 3, 2024: 3},
            "NHO Kommune-NM, plass i fylket",
            "Mål: topp 3",
        ),
        (
            "arbeidsplassvekst_andel_av_befolkningsvekst",
            "prosent",
            ">",
            {2017: 56, 2018: 168, 2019: 9},
            {2021: 50, 2022: 50, 2023: 50, 2024: 50},
            "Vekst i arbeidsplasser som andel av befolkningsveksten",
            "Ambisjon: over 50 %",
        ),
        (
            "andel_bor_og_arbeider_i_kommunen",
            "prosent",
            ">=",
            {2017: 41.9, 2018: 42.3, 2019: 41.4},
            {2021: 41.4, 2022: 42.0, 2023: 42.5, 2024: 43.0},
            "Andel som bor og arbeider i kommunen",
            "Mål: økning hvert år",
        ),
        (
            "omdisponert_dyrka_jord",
            "dekar",
            "<=",
            {2017: 23, 2018: 260, 2019: 90},
            {2021: 15, 2022: 15, 2023: 15, 2024: 15},
            "Omdisponert dyrka jord",
            "Nasjonalt jordvernmål, kommunens ambisjon høyst 15 daa per år",
        ),
    ]
    for indicator, unit, comparator, results, ambitions, name, note in real:
        for year, v in results.items():
            rows.append(
                [
                    indicator,
                    KOMMUNE,
                    "kommune",
                    year,
                    v,
                    unit,
                    PLAN_SOURCE,
                    "false",
                    "result",
                    "=",
                    "Asker",
                    name,
                ]
            )
        for year, v in ambitions.items():
            rows.append(
                [
                    indicator,
                    KOMMUNE,
                    "kommune",
                    year,
                    v,
                    unit,
                    PLAN_SOURCE,
                    "false",
                    "ambition",
                    comparator,
                    "Asker",
                    f"{name}. {note}",
                ]
            )
    # The plan gives these without a year: the year column stays empty.
    rows.append(
        [
            "arbeidsplasser",
            KOMMUNE,
            "kommune",
            "",
            37000,
            "antall",
            PLAN_SOURCE,
            "false",
            "result",
            "~",
            "Asker",
            "«Om lag 37 000» (planen oppgir ikke år)",
        ]
    )
    rows.append(
        [
            "arbeidsplasser",
            "sentrale_asker",
            "område",
            "",
            24000,
            "antall",
            PLAN_SOURCE,
            "false",
            "result",
            "~",
            "Sentrale Asker (Asker sentrum, Holmen, Billingstad)",
            "«Om lag 24 000» av arbeidsplassene i Asker (planen oppgir ikke år)",
        ]
    )
    for code, name, share in (("0627", "Røyken (før 2020)", 49), ("0628", "Hurum (før 2020)", 61)):
        rows.append(
            [
                "egendekning_arbeidsplasser",
                code,
                "kommune",
                "",
                share,
                "prosent",
                PLAN_SOURCE,
                "false",
                "result",
                "=",
                name,
                "Arbeidsplasser delt på sysselsatte bosatte (planen oppgir ikke år)",
            ]
        )
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(STAT_COLUMNS)
    w.writerows(rows)
    write_text(out / "statistikk_tettsted.csv", buf.getvalue())
