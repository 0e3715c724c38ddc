"""`naeringskart serve` and `naeringskart demo`."""

from __future__ import annotations

import os
import sys

import click

from gis.cluster import ClusterError
from gis.config import Settings
from webmap.cli.context import Context, pass_context
from webmap.cli.db import prepare_database

GUNICORN_THREADS = ("--worker-class", "gthread", "--threads", "2")


class UnsafeServeError(click.ClickException):
    """A way of serving that must not run in production."""


def serve_app(settings: Settings, *, dev: bool, workers: int = 2) -> None:
    """Serve until Ctrl-C: gunicorn, or Flask's reloader with --dev."""
    if dev and settings.env == "production":
        # The debugger runs arbitrary code for anyone who reaches an error page.
        raise UnsafeServeError("--dev (Flask's debugger and reloader) is refused when "
                               "NAERINGSKART_ENV=production; serve without --dev")
    bind = f"{settings.host}:{settings.port}"
    if dev:
        from webmap import create_app

        create_app(settings).run(host=settings.host, port=settings.port, debug=True)
        return
    # Threaded workers keep connections alive: a map asks for dozens of tiles at once.
    os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", "--bind", bind,
                               "--workers", str(workers), *GUNICORN_THREADS,
                               "--access-logfile", "-", "webmap.wsgi:app"])


@click.command("serve", help="Serve the map at http://HOST:PORT (default 127.0.0.1:8000).")
@click.option("--dev", is_flag=True, help="Flask's development server with the reloader.")
@click.option("--workers", default=2, show_default=True, help="gunicorn worker processes.")
@pass_context
def serve_command(ctx: Context, dev: bool, workers: int) -> None:
    serve_app(ctx.settings, dev=dev, workers=workers)


@click.command("demo", help="Start the database, load the demo data (skipping files already "
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
    engine = gisdb.make_engine(ctx.settings, owner=True)
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
