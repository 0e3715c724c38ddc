"""Shared pieces of the command line: settings context."""

from __future__ import annotations

import click

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
