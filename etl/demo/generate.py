"""Generate the FICTIONAL demo data set for Næringskart (Asker kommune, 3203, by default).

Every file is written in the real national exchange format (SOSI 4.5, SOSI-GML,
GeoJSON, GeoPackage, GTFS, JSON-stat 2) so that the ETL can be exercised end to end
without any real, licensed or personal data.  Only the kommune boundary is real
(© Kartverket, CC BY 4.0); the places file (``asker_places.csv``) holds approximate positions.
The kommune's number, name, projection, input files and texts come from its kommune file
(NAERINGSKART_KOMMUNE_FILE, default ``gis/kommuner/3203-asker.toml``, section ``[demo]``).

The run is deterministic: fixed seeds, no network, no clock.  Two runs give
byte-identical files (``sha256sum etl/demo/*``).  The work is done by the theme
modules in ``etl/demo/generator/``; this file only starts them.

Usage::

    python etl/demo/generate.py              # write and validate everything
    python etl/demo/generate.py --no-validate
    python etl/demo/generate.py --out /tmp/demo   # write somewhere else (to compare)
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script: make the project's packages importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from etl.demo.generator.run import main

    sys.exit(main())
