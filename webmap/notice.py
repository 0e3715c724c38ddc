"""The fictional-data notice: shown on every page while the database holds demo data."""

from __future__ import annotations

import psycopg
import sqlalchemy.exc
from flask import Flask, current_app, g

from gis.fictional import holds_fictional_data
from webmap.database import read_connection


def request_holds_fictional_data() -> bool:
    """Whether any site or statistic is fictional (asked once per request)."""
    if "holds_fictional_data" not in g:
        try:
            with read_connection() as conn:
                g.holds_fictional_data = holds_fictional_data(conn)
        except (psycopg.Error, sqlalchemy.exc.SQLAlchemyError) as error:
            # An error page must still render; it then goes without the notice.
            current_app.logger.warning("fictional-data notice left out: %s", error)
            g.holds_fictional_data = False
    return bool(g.holds_fictional_data)


def init_app(app: Flask) -> None:
    """`fictional_data` for every template (base.html shows the notice from it)."""

    @app.context_processor
    def fictional_notice() -> dict[str, bool]:
        return {"fictional_data": request_holds_fictional_data()}
