"""The `naeringskart` command: thin wrappers over plain functions, one module per group.

Each command's module is imported only when that command runs (or when help lists it): a
`naeringskart load` should not pay for Flask, and `naeringskart user` not for pyogrio.
"""

from __future__ import annotations

import importlib

import click

# Command name → "module:attribute" of its click command.
COMMANDS = {
    "db": "webmap.cli.db:db",
    "load": "webmap.cli.load:load_command",
    "serve": "webmap.cli.serve:serve_command",
    "demo": "webmap.cli.serve:demo_command",
    "jordvern": "webmap.cli.jordvern:jordvern_command",
    "indicator": "webmap.cli.indicator:indicator_group",
    "focus-area": "webmap.cli.focus_area:focus_area",
    "user": "webmap.cli.user:user",
    "leads": "webmap.cli.leads:leads",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click's lazy loading recipe)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = COMMANDS[cmd_name].partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command) and command.name == cmd_name, cmd_name
        return command


@click.group(cls=LazyGroup, help="Næringskart: business land and centre structure on a map.")
def main() -> None:
    """Entry point."""
