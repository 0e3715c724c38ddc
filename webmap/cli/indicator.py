"""`naeringskart indicator`: values with no machine source (NHO ranks), entered by a planner."""

from __future__ import annotations

import datetime as dt
import getpass

import click

from webmap.cli.context import Context, pass_context


@click.group("indicator", help="The plan's indicators: enter values that no file provides.")
def indicator_group() -> None:
    """Indicator commands."""


@indicator_group.command("set", help="Store INDICATOR's VALUE for YEAR, e.g. "
                                     "`naeringskart indicator set nho_rank 2024 9 --source "
                                     "\"NHO Kommune-NM 2024\" --date 2024-06-12`. Indicators: "
                                     "nho_rank, nho_county_rank.")
@click.argument("indicator")
@click.argument("year", type=click.IntRange(1990, 2100))
@click.argument("value", type=float)
@click.option("--source", required=True, help="Where the value comes from (publication).")
@click.option("--date", "source_date", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="Date of the source, YYYY-MM-DD.")
@click.option("--ambition", is_flag=True, help="The value is an ambition, not a result.")
@click.option("--by", "entered_by", default=None, help="Who enters it (default: the OS user).")
@pass_context
def set_command(ctx: Context, indicator: str, year: int, value: float, source: str,
                source_date: dt.datetime, ambition: bool, entered_by: str | None) -> None:
    from gis import db as gisdb
    from gis.indicators import set_manual_value

    engine = gisdb.make_engine(ctx.settings, owner=True)
    try:
        with gisdb.raw_connection(engine) as conn:
            try:
                set_manual_value(conn, indicator=indicator, region=ctx.settings.kommune.kommunenummer,
                                 year=year, value=value, kind="ambition" if ambition else "result",
                                 source=source, source_date=source_date.date(),
                                 entered_by=entered_by or getpass.getuser())
            except ValueError as exc:
                raise click.ClickException(str(exc)) from exc
            conn.commit()
    finally:
        engine.dispose()
    click.echo(f"{indicator} {year} = {value:g} ({'ambition' if ambition else 'result'}), "
               f"source: {source}, {source_date:%Y-%m-%d}")
