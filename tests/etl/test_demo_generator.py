"""The demo generator: same files byte for byte, and the kommune's texts from its kommune file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from etl.demo.generator.kommune import demo_kommune
from etl.demo_data import DEMO_DIR
from gis.config import KommuneConfig

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ASKER_FILE = PROJECT_ROOT / "gis" / "kommuner" / "3203-asker.toml"


def _generate(out: Path, kommune_file: Path = ASKER_FILE) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NAERINGSKART_")}
    env["NAERINGSKART_KOMMUNE_FILE"] = str(kommune_file)
    subprocess.run(
        [sys.executable, str(DEMO_DIR / "generate.py"), "--out", str(out)],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def test_the_generator_writes_the_committed_demo_files_byte_for_byte(tmp_path: Path) -> None:
    _generate(tmp_path)
    written = sorted(path.name for path in tmp_path.iterdir())
    assert len(written) == 23
    changed = [name for name in written if (tmp_path / name).read_bytes() != (DEMO_DIR / name).read_bytes()]
    assert changed == []


def test_the_kommune_file_names_the_owner_the_site_ids_and_the_region(tmp_path: Path) -> None:
    # Asker's world under another name: every text that names the kommune follows the file.
    kommune_file = tmp_path / "3203-testby.toml"
    kommune_file.write_text(
        ASKER_FILE.read_text(encoding="utf-8").replace('name = "Asker"', 'name = "Testby"'), encoding="utf-8"
    )
    out = tmp_path / "demo"
    _generate(out, kommune_file)
    kpa = (out / "plan_kpa_asker.sos").read_text(encoding="utf-8")
    assert '..EIER "Testby kommune (fiktive demodata)"' in kpa and "...KOORDSYS 22" in kpa
    sites = (out / "sites.geojson").read_text(encoding="utf-8")
    assert '"site_id":"TES-001"' in sites and "ASK-" not in sites
    assert '"3203":"Testby"' in (out / "ssb_11616.json").read_text(encoding="utf-8").replace(" ", "")
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Demo data for Næringskart: Testby kommune (3203)")


def test_a_kommune_file_without_a_demo_section_gets_demo_defaults(tmp_path: Path) -> None:
    path = tmp_path / "3201-baerum.toml"
    path.write_text(
        'kommunenummer = "3201"\nname = "Bærum"\nstorage_srid = 25833\n'
        "[map]\ncentre_lat = 59.9\ncentre_lon = 10.5\n"
        "[jordvern]\ntarget_daa_per_year = 10\n",
        encoding="utf-8",
    )
    demo = demo_kommune(KommuneConfig.from_file(path))
    assert (demo.owner, demo.site_id_prefix) == ("Bærum kommune (fiktive demodata)", "BÆR")
    assert (demo.boundary_file, demo.places_file) == ("bærum_kommune_3201.geojson", "bærum_places.csv")
    assert (demo.sosi_koordsys, demo.crs_urn) == (23, "urn:ogc:def:crs:EPSG::25833")
