"""The registry of derived data: which writes make what stale, and every table it names exists."""

from __future__ import annotations

import psycopg

from gis.db import libpq_dsn
from gis.derived import DEPENDENTS, dependents_of


def test_a_change_makes_stale_only_what_is_computed_from_it() -> None:
    def names(*tables: str) -> set[str]:
        return {dependent.name for dependent in dependents_of(tables)}

    assert names("plan_area") == {"jordvern ledger"}
    assert names("land_cover", "transit_stop") == {"jordvern ledger",
                                                   "ABC accessibility of sites and transit quality areas"}
    assert names("site") == {"ABC accessibility of sites and transit quality areas"}
    assert names("building", "statistic") == set()


def test_every_source_table_of_the_registry_exists(db_url: str) -> None:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        tables = {row[0] for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}
    assert {table for dependent in DEPENDENTS for table in dependent.sources} <= tables
