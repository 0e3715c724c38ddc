"""`naeringskart focus-area add`: a planner's focus area from a polygon file."""

from __future__ import annotations

from pathlib import Path

import click

from webmap.cli.context import Context, pass_context


@click.group("focus-area", help="Focus areas (særlige fokusområder) shown to investors.")
def focus_area() -> None:
    """Focus-area commands."""


@focus_area.command("add", help="Create or replace the focus area --name-nb with the polygons "
                                "in FILE (GeoJSON, GeoPackage, Shapefile, GML), merged into one.")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name-nb", required=True, help="Name in bokmål (identifies the area).")
@click.option("--name-en", required=True, help="Name in English.")
@click.option("--text-nb", default=None, help="Short text in bokmål.")
@click.option("--text-en", default=None, help="Short text in English.")
@click.option("--illustrative", is_flag=True, help="Mark the outline as illustrative.")
@click.option("--srs", default=None, help="CRS of a file that declares none, e.g. EPSG:25832.")
@click.option("--layer", default=None, help="Layer inside a multi-layer file.")
@pass_context
def add_command(ctx: Context, file: Path, name_nb: str, name_en: str, text_nb: str | None,
                text_en: str | None, illustrative: bool, srs: str | None,
                layer: str | None) -> None:
    from etl.errors import LoadError
    from etl.focus_areas import add_focus_area
    from gis import db as gisdb

    engine = gisdb.make_engine(ctx.settings, owner=True)
    try:
        result = add_focus_area(engine, file, name_nb=name_nb, name_en=name_en, text_nb=text_nb,
                                text_en=text_en, storage_srid=ctx.settings.kommune.storage_srid,
                                srs=srs, layer=layer, illustrative=illustrative)
    except LoadError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()
    click.echo(f"{name_nb}: focus area saved ({result.describe()})")
