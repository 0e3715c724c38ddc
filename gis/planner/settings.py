"""The planner workspace's settings: the kommune file's [planner] section, env overrides."""

from __future__ import annotations

import os

from pydantic import BaseModel, Field, ValidationError

from gis.config import ConfigError, KommuneConfig, describe_validation_error

ENV_PREFIX = "NAERINGSKART_PLANNER_"


class PlannerSettings(BaseModel):
    """Retention, freshness and validation thresholds (documented in the kommune TOML)."""

    # Personvern: interest requests are deleted this many days after they arrived.
    leads_retention_days: int = Field(default=365, ge=1, le=3650)
    # Sites and premises not verified for this many months are flagged.
    verify_after_months: int = Field(default=6, ge=1, le=60)
    # A stated area may differ from the drawn geometry's area by this share.
    area_tolerance: float = Field(default=0.10, ge=0, le=1)
    # Years of history the uptake rate is averaged over.
    uptake_years: int = Field(default=5, ge=1, le=30)


def planner_settings(kommune: KommuneConfig) -> PlannerSettings:
    """[planner] from the kommune file; NAERINGSKART_PLANNER_<NAME> wins."""
    raw = dict(kommune.extra.get("planner", {}))
    for name in PlannerSettings.model_fields:
        value = os.environ.get(ENV_PREFIX + name.upper())
        if value:
            raw[name] = value
    try:
        return PlannerSettings(**raw)
    except ValidationError as exc:
        raise ConfigError(f"[planner] settings: {describe_validation_error(exc)}") from exc
