"""The tettsted indicator view matches statistics keyed by the tettsted's name (as the statistics
loader keys them) as well as by its number.

Revision ID: jordvern_0002
Revises: jordvern_0001
"""

from alembic import op

revision = "jordvern_0002"
down_revision = "jordvern_0001"
branch_labels = None
depends_on = None

VIEW = """
CREATE VIEW tettsted_indicator AS
WITH workplaces AS (
    -- Prefer a direct workplace count; fall back to employed persons by place of work.
    SELECT DISTINCT ON (t.id) t.id AS tettsted_id, s.year, s.value, s.fictional
    FROM tettsted t
    JOIN statistic s ON s.region IN (t.tettstednummer, t.name)
    WHERE s.region_type = 'tettsted' AND s.kind = 'result' AND s.value IS NOT NULL
      AND s.indicator IN ('arbeidsplasser', 'sysselsatte_arbeidssted')
    ORDER BY t.id, s.year DESC, (s.indicator = 'arbeidsplasser') DESC, s.fictional
), residents AS (
    SELECT DISTINCT ON (t.id, s.year) t.id AS tettsted_id, s.year, s.value, s.fictional
    FROM tettsted t
    JOIN statistic s ON s.region IN (t.tettstednummer, t.name)
    WHERE s.region_type = 'tettsted' AND s.kind = 'result' AND s.value IS NOT NULL
      AND s.indicator = 'sysselsatte_bosted'
    ORDER BY t.id, s.year, s.fictional
)
SELECT t.id, t.tettstednummer, t.name, w.year,
       w.value::integer AS arbeidsplasser,
       r.value::integer AS sysselsatte_bosted,
       round(100 * w.value / nullif(r.value, 0))::integer AS egendekning_pct,
       CASE WHEN w.value IS NULL THEN 'ingen tall'
            WHEN w.value < 1000 THEN 'under 1 000'
            WHEN w.value < 2500 THEN '1 000–2 499'
            WHEN w.value < 5000 THEN '2 500–4 999'
            WHEN w.value < 10000 THEN '5 000–9 999'
            ELSE '10 000 og flere' END AS klasse,
       CASE WHEN w.value IS NULL THEN '#ffffff'
            WHEN w.value < 1000 THEN '#eff3ff'
            WHEN w.value < 2500 THEN '#bdd7e7'
            WHEN w.value < 5000 THEN '#6baed6'
            WHEN w.value < 10000 THEN '#3182bd'
            ELSE '#08519c' END AS fill,
       coalesce(w.fictional OR r.fictional, w.fictional, false) AS fictional,
       t.geom
FROM tettsted t
LEFT JOIN workplaces w ON w.tettsted_id = t.id
LEFT JOIN residents r ON r.tettsted_id = t.id AND r.year = w.year
"""


def upgrade() -> None:
    op.execute("DROP VIEW IF EXISTS tettsted_indicator")
    op.execute(VIEW)


def downgrade() -> None:
    # Back to jordvern_0001's view, read from that revision's file (Alembic loads by path).
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "jordvern_0001", Path(__file__).with_name("jordvern_0001.py"))
    assert spec and spec.loader
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute("DROP VIEW IF EXISTS tettsted_indicator")
    op.execute(previous.TETTSTED_INDICATOR_VIEW)
