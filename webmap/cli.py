"""The `naeringskart` command: thin wrappers over plain functions."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from gis.cluster import ClusterError, LocalCluster
from gis.config import ConfigError, Settings, load_settings


class Context:
    """Settings, read once per command."""

    def __init__(self) -> None:
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = load_settings()
            except ConfigError as exc:
                raise click.ClickException(str(exc)) from exc
        return self._settings


pass_context = click.make_pass_decorator(Context, ensure=True)


@click.group(help="Næringskart: business land and centre structure on a map.")
def main() -> None:
    """Entry point."""


# -- db ----------------------------------------------------------------------------
@main.group(help="The database: a project-local PostGIS cluster in var/pg, or NAERINGSKART_DATABASE_URL.")
def db() -> None:
    """Database commands."""


def _cluster(ctx: Context) -> LocalCluster:
    return LocalCluster(ctx.settings.cluster_dir)


def prepare_database(settings: Settings) -> str:
    """Start the local cluster (unless a URL is configured), create the database, migrate."""
    from gis import db as gisdb
    from gis import migrate

    if not settings.database_url:
        LocalCluster(settings.cluster_dir).up()
    url = gisdb.database_url(settings)
    gisdb.ensure_database(url)
    engine = gisdb.make_engine(settings)
    try:
        migrate.upgrade(engine, settings.kommune.storage_srid)
    finally:
        engine.dispose()
    return url


@db.command("up", help="Create (first time) and start the local cluster, create the database and migrate.")
@pass_context
def db_up(ctx: Context) -> None:
    try:
        prepare_database(ctx.settings)
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(_cluster(ctx).status().describe())


@db.command("down", help="Stop the local cluster; its data stays in var/pg.")
@pass_context
def db_down(ctx: Context) -> None:
    try:
        click.echo(_cluster(ctx).down().describe())
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc


@db.command("status", help="Say whether the local cluster exists and runs, and on which port.")
@pass_context
def db_status(ctx: Context) -> None:
    try:
        click.echo(_cluster(ctx).status().describe())
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc


@db.command("migrate", help="Apply all migrations (or --revision REV; --down to revert to it).")
@click.option("--revision", default=None, help="Target revision (default: all heads, or base with --down).")
@click.option("--down", is_flag=True, help="Downgrade instead of upgrade.")
@pass_context
def db_migrate(ctx: Context, revision: str | None, down: bool) -> None:
    from gis import db as gisdb
    from gis import migrate

    engine = gisdb.make_engine(ctx.settings)
    srid = ctx.settings.kommune.storage_srid
    try:
        if down:
            migrate.downgrade(engine, srid, revision or "base")
        else:
            migrate.upgrade(engine, srid, revision or "heads")
        click.echo(f"schema at: {', '.join(sorted(migrate.current_revisions(engine))) or 'base'}")
    finally:
        engine.dispose()


# -- load --------------------------------------------------------------------------
@main.command("load", help="Load FILE as SOURCE (e.g. `naeringskart load sites sites.geojson`); "
                           "--history lists earlier loads.")
@click.argument("source", required=False)
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--srs", default=None, help="CRS of a file that declares none, e.g. EPSG:25832.")
@click.option("--layer", default=None, help="Layer inside a multi-layer file (GeoPackage, GML).")
@click.option("--history", is_flag=True, help="List the load history and exit.")
@pass_context
def load_command(ctx: Context, source: str | None, file: Path | None, srs: str | None,
                 layer: str | None, history: bool) -> None:
    from etl.errors import LoadError
    from etl.load import load_history, load_source
    from etl.sources import SOURCES
    from gis import db as gisdb

    engine = gisdb.make_engine(ctx.settings)
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
        try:
            result = load_source(engine, source, file, storage_srid=ctx.settings.kommune.storage_srid,
                                 srs=srs, layer=layer)
        except LoadError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(result.describe())
    finally:
        engine.dispose()


# -- serve and demo ----------------------------------------------------------------
def serve_app(settings: Settings, *, dev: bool, workers: int = 2) -> None:
    """Serve until Ctrl-C: gunicorn, or Flask's reloader with --dev."""
    bind = f"{settings.host}:{settings.port}"
    if dev:
        from webmap import create_app

        create_app(settings).run(host=settings.host, port=settings.port, debug=True)
        return
    os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", "--bind", bind,
                               "--workers", str(workers), "--access-logfile", "-",
                               "webmap.wsgi:app"])


@main.command("serve", help="Serve the map at http://HOST:PORT (default 127.0.0.1:8000).")
@click.option("--dev", is_flag=True, help="Flask's development server with the reloader.")
@click.option("--workers", default=2, show_default=True, help="gunicorn worker processes.")
@pass_context
def serve_command(ctx: Context, dev: bool, workers: int) -> None:
    serve_app(ctx.settings, dev=dev, workers=workers)


@main.command("demo", help="Start the database, load the demo data (skipping files already "
                           "loaded) and serve the map.")
@click.option("--no-serve", is_flag=True, help="Prepare everything but do not serve.")
@pass_context
def demo_command(ctx: Context, no_serve: bool) -> None:
    from etl.demo_data import load_demo
    from etl.errors import LoadError
    from gis import db as gisdb

    try:
        prepare_database(ctx.settings)
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc
    engine = gisdb.make_engine(ctx.settings)
    try:
        load_demo(engine, ctx.settings.kommune.storage_srid,
                  report=lambda result: click.echo(result.describe()))
    except LoadError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()
    if not no_serve:
        click.echo(f"Næringskart: http://{ctx.settings.host}:{ctx.settings.port}/  (Ctrl-C stops)")
        serve_app(ctx.settings, dev=False)
