"""Apply and revert the Alembic migrations in gis/migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine, srid: int) -> Config:
    """An Alembic config bound to this engine; migrations read the storage SRID from it."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    config.attributes["srid"] = srid
    return config


def upgrade(engine: Engine, srid: int, revision: str = "heads") -> None:
    """Bring the schema up to date (all heads: features add their own branches)."""
    command.upgrade(alembic_config(engine, srid), revision)


def downgrade(engine: Engine, srid: int, revision: str = "base") -> None:
    """Revert the schema (to an empty database by default)."""
    command.downgrade(alembic_config(engine, srid), revision)


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the database is at."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())
