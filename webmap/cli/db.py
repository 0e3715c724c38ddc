"""`naeringskart db`: the local cluster and the schema."""

from __future__ import annotations

import click

from gis.cluster import ClusterError, LocalCluster
from gis.config import Settings
from gis.replica import describe as describe_replica
from gis.replica import replica_of, start_replica
from webmap.cli.context import Context, pass_context


@click.group(help="The database: a project-local PostGIS cluster in var/pg, or NAERINGSKART_DATABASE_URL.")
def db() -> None:
    """Database commands."""


def _cluster(ctx: Context) -> LocalCluster:
    return LocalCluster(ctx.settings.cluster_dir)


def prepare_database(settings: Settings) -> str:
    """Start the local cluster (unless a URL is configured), create the database, migrate."""
    from gis import db as gisdb
    from gis import migrate

    if settings.superuser_database_url:
        gisdb.provision_database(settings.superuser_database_url,
                                 gisdb.owner_database_url(settings), gisdb.database_url(settings))
    elif settings.database_url:
        gisdb.ensure_database(gisdb.owner_database_url(settings))
    else:
        cluster = LocalCluster(settings.cluster_dir)
        cluster.up()
        gisdb.provision_local_database(cluster, settings.database_name)
    url = gisdb.database_url(settings)
    engine = gisdb.make_engine(settings, owner=True)
    try:
        migrate.upgrade(engine, settings.kommune.storage_srid)
    finally:
        engine.dispose()
    return url


@db.command("up", help="Create (first time) and start the local cluster, create the database and migrate.")
@click.option("--replica", is_flag=True,
              help="Also start a hot standby of the local cluster in var/pg-replica; the web app "
                   "then sends tile, catalogue and feature reads to it.")
@pass_context
def db_up(ctx: Context, replica: bool) -> None:
    if replica and (ctx.settings.database_url or ctx.settings.superuser_database_url):
        raise click.ClickException("--replica starts a standby of the local cluster; for a "
                                   "database server, list its replicas in "
                                   "NAERINGSKART_REPLICA_URLS")
    try:
        prepare_database(ctx.settings)
        click.echo(_cluster(ctx).status().describe())
        if replica:
            standby = start_replica(_cluster(ctx))
            click.echo(describe_replica(_cluster(ctx), standby))
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc


@db.command("down", help="Stop the local cluster (and its replica); the data stays in var/pg.")
@pass_context
def db_down(ctx: Context) -> None:
    try:
        standby = replica_of(_cluster(ctx))
        if standby.initialised:  # the standby first, or it keeps retrying its primary
            standby.down()
            click.echo(describe_replica(_cluster(ctx), standby))
        click.echo(_cluster(ctx).down().describe())
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc


@db.command("status", help="Say whether the local cluster (and its replica) exists and runs, and on which "
            "port.")
@pass_context
def db_status(ctx: Context) -> None:
    try:
        click.echo(_cluster(ctx).status().describe())
        standby = replica_of(_cluster(ctx))
        if standby.initialised:
            click.echo(describe_replica(_cluster(ctx), standby))
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc


@db.command("migrate", help="Apply all migrations (or --revision REV; --down to revert to it).")
@click.option("--revision", default=None, help="Target revision (default: all heads, or base with --down).")
@click.option("--down", is_flag=True, help="Downgrade instead of upgrade.")
@pass_context
def db_migrate(ctx: Context, revision: str | None, down: bool) -> None:
    from gis import db as gisdb
    from gis import migrate

    engine = gisdb.make_engine(ctx.settings, owner=True)
    srid = ctx.settings.kommune.storage_srid
    try:
        if down:
            migrate.downgrade(engine, srid, revision or "base")
        else:
            migrate.upgrade(engine, srid, revision or "heads")
        click.echo(f"schema at: {', '.join(sorted(migrate.current_revisions(engine))) or 'base'}")
    finally:
        engine.dispose()
