"""A progress bar on stderr that appears only once a load has run for a few seconds."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import click

SHOW_AFTER_S = 2.0


class LoadProgress:
    """Callable progress hook for etl loads: `progress(features_read_so_far)`."""

    def __init__(self, path: Path, layer: str | None = None) -> None:
        """Remember the file; the bar and its length are made only when needed."""
        self.path, self.layer = path, layer
        self.started = time.monotonic()
        self.bar: Any = None
        self.done = 0

    def __call__(self, read: int) -> None:
        """Advance the bar (creating it after SHOW_AFTER_S seconds)."""
        if self.bar is None:
            if time.monotonic() - self.started < SHOW_AFTER_S:
                return
            from etl.load import feature_count

            total = feature_count(self.path, self.layer)
            self.bar = click.progressbar(length=total, label=f"Loading {self.path.name}",
                                         file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        # A fallback to the checked path reads the file again: never move backwards.
        self.bar.update(max(0, read - self.done))
        self.done = max(self.done, read)

    def __enter__(self) -> LoadProgress:
        """Use as a context manager so the bar is closed even on errors."""
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        """Finish the bar line."""
        if self.bar is not None:
            self.bar.__exit__(kind, value, traceback)
