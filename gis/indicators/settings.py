"""Which regions, centres, goals and projection the indicators use (the kommune file)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from gis.config import ConfigError, KommuneConfig, describe_validation_error

Kind = Literal["result", "ambition"]


class ProjectionSettings(BaseModel):
    """The plan's projection of workplaces and population (kommune TOML [projection]). No
    defaults: every figure is the kommune's own plan's, never another kommune's."""

    base_year: int
    base_workplaces: float = Field(ge=0)
    workplaces_per_year: float
    target_year: int
    target_workplaces: float = Field(ge=0)
    population_growth_low: float
    population_growth_high: float


class IndicatorSettings(BaseModel):
    """Which regions and centres the indicators use (kommune TOML [indicators])."""

    # Earlier numbers of this kommune whose statistics count as its own, newest first.
    earlier_kommunenummer: list[str] = Field(default_factory=list)
    # Kommuner merged into this one, number -> name (egendekning per former kommune).
    former_kommuner: dict[str, str] = Field(default_factory=dict)
    # Centres whose workplaces together make the central area (central Asker's share).
    central_centres: list[str] = Field(default_factory=list)
    central_name: str = "Sentrale deler av kommunen"
    workplace_growth_goal_pct: float = 50.0
    # Last year of the plan period; the jordvern target is an ambition every year up to it.
    plan_period_end: int = 2032
    # First year the plan sets ambitions for (its table has 2021–2024).
    first_ambition_year: int = 2021
    # Figures the plan publishes without a year (no statistic row can hold them).
    published_source: str = ""
    published_egendekning_pct: dict[str, float] = Field(default_factory=dict)
    published_central_workplaces: float | None = None
    published_kommune_workplaces: float | None = None
    # None: the kommune file has no [projection], and the indicator page shows none.
    projection: ProjectionSettings | None = None

    @classmethod
    def from_kommune(cls, kommune: KommuneConfig) -> IndicatorSettings:
        """Read [indicators] and [projection] from the kommune file's extra sections."""
        raw: dict[str, Any] = dict(kommune.extra.get("indicators", {}))
        if "projection" in kommune.extra:
            raw["projection"] = kommune.extra["projection"]
        try:
            return cls(**raw)
        except ValidationError as exc:
            raise ConfigError(f"kommune file [indicators]/[projection]: "
                              f"{describe_validation_error(exc)}") from exc

    def regions(self, kommunenummer: str) -> list[str]:
        """This kommune's number first, then its earlier numbers."""
        return [kommunenummer, *self.earlier_kommunenummer]
