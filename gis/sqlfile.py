"""The one reader of the SQL files kept beside the code (read once per process)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def sql_file(package: str, name: str) -> str:
    """The text of `name` (a path inside the package, e.g. "sql/tile.sql") of `package`."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")
