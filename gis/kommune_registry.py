"""The kommuner one instance serves: one kommune file each, in the configured kommune's folder.

The configured kommune (NAERINGSKART_KOMMUNE_FILE) is the default, served at the root; every
other `NNNN-*.toml` beside it is served under /k/NNNN/. Each file states its own name, map
centre and targets (no kommune gets another's figures); all share the database, so they must
share its storage SRID.
"""

from __future__ import annotations

import re
from pathlib import Path

from gis.config import ConfigError, KommuneConfig, Settings

KOMMUNE_FILE = re.compile(r"^(\d{4})-[^/]*\.toml$")


def kommune_files(settings: Settings) -> dict[str, Path]:
    """Kommune files by kommunenummer: the configured one and its neighbours in the folder."""
    default = settings.kommune
    found = {default.kommunenummer: settings.kommune_file}
    for path in sorted(settings.kommune_file.parent.glob("*.toml")):
        match = KOMMUNE_FILE.match(path.name)
        if match and match.group(1) not in found:
            found[match.group(1)] = path
    return found


def served_kommuner(settings: Settings) -> dict[str, KommuneConfig]:
    """Every kommune of the instance, the configured one first; files are checked here."""
    return {number: _checked(settings, number, path)
            for number, path in kommune_files(settings).items()}


def _checked(settings: Settings, number: str, path: Path) -> KommuneConfig:
    """One kommune's file, read and checked against its name and the shared storage SRID."""
    config = settings.kommune if path == settings.kommune_file else KommuneConfig.from_file(path)
    if config.kommunenummer != number:
        raise ConfigError(f"{path}: the file name says kommune {number}, the file "
                          f"{config.kommunenummer}")
    if config.storage_srid != settings.kommune.storage_srid:
        raise ConfigError(f"{path}: storage_srid {config.storage_srid} differs from "
                          f"{settings.kommune.storage_srid} of {settings.kommune_file.name}; "
                          "kommuner sharing one database share its storage SRID")
    return config


def settings_for_kommune(settings: Settings, kommunenummer: str) -> Settings | None:
    """The instance's settings with another of its kommuner as the kommune; None if not served."""
    path = kommune_files(settings).get(kommunenummer)
    if path is None:
        return None
    if path == settings.kommune_file:
        return settings
    config = _checked(settings, kommunenummer, path)  # refuse a mismatched file before serving it
    copy = settings.model_copy(update={"kommune_file": path})
    copy.__dict__["kommune"] = config  # replaces the copied cache, which holds the default kommune
    return copy
