"""Jordvern: cultivated land rezoned by plans, per plan, area, category and year, in PostGIS.

`recompute` builds the tables (in full, or only for the plans that changed); `figures` and
`ledger` read them; `classes` holds the map layer's colour classes."""

from gis.jordvern.areas import AREALTYPE_NAMES, M2_PER_DAA, Areas, daa
from gis.jordvern.classes import PROPOSAL_CLASS, YEAR_CLASSES, YearClass
from gis.jordvern.figures import (
    AreaFigure,
    Pipeline,
    PlanFigure,
    area_figures,
    category_figures,
    pipeline,
    plan_figures,
)
from gis.jordvern.ledger import (
    LEDGER_CSV_COLUMNS,
    LedgerYear,
    OfficialFigure,
    difference_reason,
    ledger,
    ledger_csv,
    official_figures,
)
from gis.jordvern.recompute import (
    SOURCE_TABLES,
    RefreshResult,
    ensure_current,
    fingerprint,
    prepare_land_cover,
    refresh,
    refresh_after_load,
    statement_params,
    statements,
    update,
)

__all__ = [
    "AREALTYPE_NAMES", "LEDGER_CSV_COLUMNS", "M2_PER_DAA", "PROPOSAL_CLASS", "SOURCE_TABLES",
    "YEAR_CLASSES", "AreaFigure", "Areas", "LedgerYear", "OfficialFigure", "Pipeline",
    "PlanFigure", "RefreshResult", "YearClass", "area_figures", "category_figures", "daa",
    "difference_reason", "ensure_current", "fingerprint", "ledger", "ledger_csv",
    "official_figures", "pipeline", "plan_figures", "prepare_land_cover", "refresh",
    "refresh_after_load", "statement_params", "statements", "update",
]
