"""`naeringskart leads purge`: delete interest requests past the retention period."""

from __future__ import annotations

import click
import psycopg

from gis.db import libpq_dsn, owner_database_url
from webmap.cli.context import Context, pass_context


@click.group(help="Interest requests from investors (personal data).")
def leads() -> None:
    """Lead commands."""


@leads.command("purge", help="Delete requests older than [planner] leads_retention_days.")
@pass_context
def purge(ctx: Context) -> None:
    # Imported here: the planner package brings Flask, which other commands do not need.
    from gis.planner.leads import purge_expired
    from gis.planner.settings import planner_settings

    days = planner_settings(ctx.settings.kommune).leads_retention_days
    with psycopg.connect(libpq_dsn(owner_database_url(ctx.settings))) as conn:
        count = purge_expired(conn, days)
    click.echo(f"deleted {count} request(s) older than {days} days")
