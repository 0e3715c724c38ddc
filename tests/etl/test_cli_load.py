"""`naeringskart load` as a user runs it: clear one-line errors, no traceback, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.etl import ar5_files as ar5
from tests.etl import plan_files as pf


def _run(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    naeringskart = str(Path(sys.executable).with_name("naeringskart"))
    return subprocess.run([naeringskart, "load", *args], capture_output=True, text=True,
                          env={**os.environ, "NAERINGSKART_DATABASE_URL": db_url}, check=False,
                          timeout=120)


def test_plan_loads_then_says_unchanged(db_url: str, tmp_path: Path) -> None:
    path = pf.sosi_plan(tmp_path / "rp.sos")
    first = _run(db_url, "plans", str(path))
    assert first.returncode == 0, first.stderr
    assert "published to plans" in first.stdout
    second = _run(db_url, "plans", str(path))
    assert second.returncode == 0 and "already loaded" in second.stdout
    history = _run(db_url, "--history")
    assert "unchanged" in history.stdout and "published" in history.stdout


@pytest.mark.parametrize(("source", "content", "expected"), [
    ("plans", ".HODE\n..TEGNSETT UTF-8\n..TRANSPAR\n...KOORDSYS 22\n...ORIGO-NØ 0 0\n"
     "...ENHET 0.01\n.KURVE 1:\n..NØ\n1 2\n"
     .encode(), "truncated"),
    ("buildings", b'{"type": "FeatureCollection", "features": [{"type": "Fea', "bad.geojson"),
    ("land_cover", b"", "empty"),
])
def test_bad_file_gives_a_clear_error_and_no_traceback(db_url: str, tmp_path: Path, source: str,
                                                       content: bytes, expected: str) -> None:
    path = tmp_path / ("bad.sos" if source == "plans" else "bad.geojson")
    path.write_bytes(content)
    result = _run(db_url, source, str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert expected in result.stderr and "Error:" in result.stderr


def test_multi_layer_gml_names_the_layer_read_and_no_library_warning(db_url: str,
                                                                      tmp_path: Path) -> None:
    result = _run(db_url, "land_cover", str(ar5.ar5_gml(tmp_path / "ar5.gml")))
    assert result.returncode == 0, result.stderr
    assert ("warning: ar5.gml: read layer ArealressursFlate; not read: ArealressursGrense"
            in result.stdout)
    assert "Warning" not in result.stderr and "More than one layer" not in result.stderr


def test_plan_id_option_is_checked_and_only_for_plans(db_url: str, tmp_path: Path) -> None:
    path = pf.sosi_plan(tmp_path / "rp.sos")
    wrong = _run(db_url, "plans", str(path), "--plan-id", "32032024001")
    assert wrong.returncode == 1 and "KOMMUNENUMMER/PLANIDENTIFIKASJON" in wrong.stderr
    other = _run(db_url, "land_cover", str(path), "--plan-id", "3203/1")
    assert other.returncode == 2 and "--plan-id is for `load plans` only" in other.stderr
