"""`naeringskart load`: one file into PostGIS, or the load history."""

from __future__ import annotations

from pathlib import Path

import click

from gis.kommune_registry import kommune_files
from webmap.cli.context import Context, pass_context
from webmap.cli.progress import LoadProgress


class _LoadCommand(click.Command):
    """Lists every source under --help, from the source registry (so the help cannot drift)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from etl.sources import SOURCES

        with formatter.section("Sources"):
            formatter.write_dl([(name, spec.description) for name, spec in sorted(SOURCES.items())])
        super().format_epilog(ctx, formatter)


@click.command("load", cls=_LoadCommand,
               help="Load FILE as SOURCE (e.g. `naeringskart load sites sites.geojson`); "
                    "--history lists earlier loads.")
@click.argument("source", required=False)
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--srs", default=None, help="CRS of a file that declares none, e.g. EPSG:25832.")
@click.option("--force-srs", is_flag=True,
              help="Read the coordinates as --srs even though the file declares another CRS.")
@click.option("--layer", default=None, help="Layer inside a multi-layer file (GeoPackage, GML).")
@click.option("--encoding", default=None,
              help="Character set of a SOSI file, overriding its ..TEGNSETT (e.g. ISO8859-10).")
@click.option("--plan-id", default=None, metavar="KNR/PLANID",
              help="plans: the plan of areas that carry no NasjonalArealplanId, e.g. 3203/2019012.")
@click.option("--history", is_flag=True, help="List the load history and exit.")
@pass_context
def load_command(ctx: Context, source: str | None, file: Path | None, srs: str | None,
                 force_srs: bool, layer: str | None, encoding: str | None, plan_id: str | None,
                 history: bool) -> None:
    from etl.errors import LoadError
    from etl.load import load_history, load_source
    from etl.sources import SOURCES
    from gis import db as gisdb

    engine = gisdb.make_engine(ctx.settings, owner=True)
    try:
        if history:
            for run in load_history(engine):
                click.echo(f"{run['id']:>5} {run['started_at']:%Y-%m-%d %H:%M} {run['status']:<9} "
                           f"{run['source']:<10} {run['file_name']} read={run['rows_read']} "
                           f"written={run['rows_written']} repaired={run['rows_repaired']}"
                           + (f" error={run['error']}" if run["error"] else ""))
            return
        if not source or not file:
            raise click.UsageError(f"give SOURCE and FILE; sources: {', '.join(sorted(SOURCES))}")
        if plan_id and source != "plans":
            raise click.UsageError("--plan-id is for `load plans` only")
        try:
            with LoadProgress(file, layer) as progress:
                result = load_source(engine, source, file,
                                     storage_srid=ctx.settings.kommune.storage_srid,
                                     srs=srs, layer=layer, progress=progress,
                                     workers=ctx.settings.load_workers or None,
                                     encoding=encoding, force_srs=force_srs, plan_id=plan_id,
                                     kommuner=list(kommune_files(ctx.settings)))
        except LoadError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(result.describe())
    finally:
        engine.dispose()
