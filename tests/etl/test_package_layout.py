"""How etl/ is put together: readers know no database, publishing knows no source, loaders are
driven by etl.load and never import it, and the load frame knows no file format."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gis.config import PROJECT_ROOT

ETL = PROJECT_ROOT / "etl"


def _etl_imports(path: Path) -> set[str]:
    """The etl modules a file imports (`from etl import x` counts as etl.x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("etl.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "etl":
                found |= {f"etl.{alias.name}" for alias in node.names}
            elif node.module.startswith("etl."):
                found.add(node.module)
    return found


def _offenders(folders: list[Path], forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    offenders: dict[str, list[str]] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.py") if folder.is_dir() else [folder]):
            wrong = sorted(m for m in _etl_imports(path)
                           if any(m == f or m.startswith(f + ".") for f in forbidden))
            if wrong:
                offenders[str(path.relative_to(PROJECT_ROOT))] = wrong
    return offenders


@pytest.mark.parametrize(("folders", "forbidden"), [
    # Loaders get an etl.job.LoadJob; the orchestrator imports them, never the other way.
    (["loaders", "readers", "publish", "job.py", "runs.py", "sources.py"], ("etl.load",)),
    (["readers"], ("etl.publish", "etl.loaders", "etl.runs", "etl.job")),
    (["publish"], ("etl.loaders",)),
])
def test_imports_run_from_the_orchestrator_down(folders: list[str],
                                                forbidden: tuple[str, ...]) -> None:
    assert _offenders([ETL / f for f in folders], forbidden) == {}


def test_the_load_frame_knows_no_file_format() -> None:
    """etl.runs records every load the same way: a reader's errors are LoadErrors."""
    frame = ETL / "runs.py"
    assert "sosi" not in frame.read_text(encoding="utf-8").lower()
    assert _offenders([frame], ("etl.readers",)) == {}
