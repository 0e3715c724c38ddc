"""The `naeringskart` command: thin wrappers over plain functions, one module per group."""

from __future__ import annotations

import click

from webmap.cli import db, focus_area, indicator, jordvern, leads, load, serve, user


@click.group(help="Næringskart: business land and centre structure on a map.")
def main() -> None:
    """Entry point."""


main.add_command(db.db)
main.add_command(load.load_command)
main.add_command(serve.serve_command)
main.add_command(serve.demo_command)
main.add_command(jordvern.jordvern_command)
main.add_command(indicator.indicator_group)
main.add_command(focus_area.focus_area)
main.add_command(user.user)
main.add_command(leads.leads)
