"""`naeringskart jordvern`: the yearly ledger of rezoned cultivated land, as text or CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from gis.jordvern import LedgerYear, Pipeline
from webmap.cli.context import Context, pass_context


def format_ledger(years: list[LedgerYear], pipeline: Pipeline, *, kommune: str) -> str:
    """The ledger as an aligned text table with the pipeline line under it."""
    lines = [f"Jordvern – {kommune}: cultivated land rezoned in adopted regulation plans "
             f"(dekar, AR5 21/22/23)",
             f"Target: at most {pipeline.target_daa:.1f} daa a year",
             "",
             f"{'year':>4}  {'total':>7}  {'fulldyrka':>9}  {'overfl.':>7}  {'innmark':>7}  "
             f"{'plans':>5}  {'target':>6}  {'status':<11}  official (source)"]
    for entry in years:
        r = entry.rezoned
        official = ("–" if entry.official is None else
                    f"{entry.official.value:g} ({entry.official.source}"
                    f"{', fictional' if entry.official.fictional else ''})")
        lines.append(
            f"{entry.year:>4}  {entry.total_daa:>7.1f}  {r.fulldyrka_m2 / 1000:>9.1f}  "
            f"{r.overflatedyrka_m2 / 1000:>7.1f}  {r.innmarksbeite_m2 / 1000:>7.1f}  "
            f"{entry.plans:>5}  {entry.target_daa:>6.1f}  "
            f"{'OVER TARGET' if entry.over_target else 'within':<11}  {official}")
    if not years:
        lines.append("(no adopted regulation plans on cultivated land, and no official figures)")
    lines.append("")
    lines.append(f"Pipeline: {len(pipeline.plans)} plan(s) in progress would rezone "
                 f"{pipeline.proposed_daa:.1f} daa.")
    for plan in pipeline.plans:
        lines.append(f"  {plan.nasjonal_arealplan_id}  {plan.plannavn or ''}: "
                     f"{plan.rezoned_daa:.1f} daa"
                     + ("" if plan.counted else " (kommuneplan, not counted)"))
    lines.append(f"If adopted in {pipeline.year}, the total would be "
                 f"{pipeline.total_if_adopted_daa:.1f} daa of {pipeline.target_daa:.1f}.")
    return "\n".join(lines)


@click.command("jordvern", help="Print the jordvern ledger: cultivated land rezoned per adoption "
                                "year against the target, the official figure beside it, and the "
                                "pipeline of plan proposals.")
@click.option("--year", type=int, default=None,
              help="Last year of the ledger and the pipeline's year (default: this year).")
@click.option("--from-year", type=int, default=None, help="First year (default: first with data).")
@click.option("--csv", "as_csv", is_flag=True, help="Write the ledger as CSV instead of text.")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
@click.option("--refresh", is_flag=True, help="Recompute even if plans and AR5 did not change.")
@pass_context
def jordvern_command(ctx: Context, year: int | None, from_year: int | None, as_csv: bool,
                     output: Path | None, refresh: bool) -> None:
    from gis import db as gisdb
    from gis import jordvern
    from gis.indicators import IndicatorSettings

    settings = ctx.settings
    kommune = settings.kommune
    year = year or dt.date.today().year
    target = kommune.jordvern.target_daa_per_year
    regions = IndicatorSettings.from_kommune(kommune).regions(kommune.kommunenummer)
    engine = gisdb.make_engine(settings, owner=True)
    try:
        with gisdb.raw_connection(engine) as conn:
            if refresh:
                jordvern.refresh(conn)
            else:
                jordvern.ensure_current(conn)
            conn.commit()
            years = jordvern.ledger(conn, target_daa=target, up_to_year=year, regions=regions,
                                    from_year=from_year)
            pipeline = jordvern.pipeline(conn, year=year, target_daa=target, regions=regions)
    finally:
        engine.dispose()
    text = (jordvern.ledger_csv(years) if as_csv else
            format_ledger(years, pipeline, kommune=f"{kommune.name} ({kommune.kommunenummer})"))
    if output:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(text.rstrip("\n"))
