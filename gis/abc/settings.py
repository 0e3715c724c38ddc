"""The ABC analysis's thresholds, read from the kommune TOML's [abc] section.

Every value has a default; the kommune file overrides any of them. Defaults and their sources:

* Stop categories and quality classes follow the Swiss ÖV-Güteklassen method (Bundesamt für
  Raumentwicklung ARE, "ÖV-Güteklassen Berechnungsmethodik ARE", Grundlagenbericht 2022), as
  best known to us: stops are grouped as rail hub (Bahnknoten), rail line (Bahnlinie) and
  bus/tram/other; the mean headway 06–20 on a weekday (per direction: ARE halves the
  departures counted in both directions) falls into the intervals < 5, 5–<10,
  10–<20, 20–<40, 40–<60 and 60–<120 minutes, which give categories I–VII; categories and the
  distance rings ≤ 300, ≤ 500, ≤ 750 and ≤ 1000 m give the classes A (very good) – D (low).
  *Verify against the published report* before relying on them; every table is configurable.
* ARE measures its rings as straight lines. Næringskart measures walking distance: along the
  loaded road/path network (source `walk_network`) where the site and the stop lie within
  `network_snap_m` (default 50 m) of it, otherwise straight line × `detour_factor` (default 1.3,
  our assumption of a typical pedestrian detour; 1.0 reproduces ARE's straight-line rings).
  The map's transit-quality areas follow the same rule: along the network (buffered by
  `network_snap_m`) around stops on it, straight-line rings of ring / `detour_factor` elsewhere.
* The ABC rules (A: transit class A and in or within 500 m of a centre; B: transit class A or B
  and a main-road junction within 5 km; C: a junction within 3 km) and the business-profile
  thresholds are Næringskart's own defaults, after the ABC policy (Regional plan for areal og
  transport i Oslo og Akershus 2015, and the Dutch ABC policy 1989/90); set your own.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gis.config import ConfigError, KommuneConfig, describe_validation_error

QUALITY_CLASSES = ("A", "B", "C", "D")
ABC_CLASSES = ("A", "B", "C")
STOP_GROUPS = ("rail_hub", "rail_line", "bus_tram")
CENTRE_LEVELS = ("regionsenter", "kommunedelsenter", "lokalsenter", "nærsenter")


class TransitSettings(BaseModel):
    """Stop categories and quality classes (ARE 2022 defaults, see the module docstring)."""

    model_config = ConfigDict(extra="forbid")

    # Rail stops named here (stop name or stop_id, case-insensitive) are hubs (Bahnknoten).
    rail_hubs: list[str] = Field(default_factory=list)
    # A rail stop with at least this many departures per hour is a hub too; 0 switches it off.
    rail_hub_min_departures_per_hour: float = Field(default=0, ge=0)
    # transit_stop.mode -> stop group; rail is a hub or a line as decided above.
    mode_groups: dict[str, str] = Field(default_factory=lambda: {
        "rail": "rail_line", "metro": "rail_line", "tram": "bus_tram", "bus": "bus_tram",
        "ferry": "bus_tram", "other": "bus_tram"})
    # ARE's interval ("Kursintervall") is per direction. "mean_headway_min" takes the GTFS
    # loader's headway of the busiest direction (right at a terminus, where every departure goes
    # one way), and falls back to "departures" where a stop has none; "departures" counts the
    # departures of both directions and divides by departures_directions.
    headway_from: Literal["departures", "mean_headway_min"] = "mean_headway_min"
    departures_directions: float = Field(default=2.0, ge=1.0)
    # Upper (exclusive) limits of the headway intervals, minutes (ARE: <5, <10, <20, <40, <60, <120).
    headway_limits_min: list[float] = Field(default_factory=lambda: [5.0, 10.0, 20.0, 40.0, 60.0, 120.0])
    # Stop category per group and headway interval ("" = no category: too seldom).
    categories: dict[str, list[str]] = Field(default_factory=lambda: {
        "rail_hub": ["I", "I", "II", "III", "IV", "V"],
        "rail_line": ["I", "II", "III", "IV", "V", "VI"],
        "bus_tram": ["II", "III", "IV", "V", "VI", "VII"]})
    # Outer radius of each ring, metres of walking distance (inclusive: 300 m is in the first).
    rings_m: list[float] = Field(default_factory=lambda: [300.0, 500.0, 750.0, 1000.0])
    # Quality class per category and ring ("" = none).
    classes: dict[str, list[str]] = Field(default_factory=lambda: {
        "I": ["A", "A", "B", "C"],
        "II": ["A", "B", "C", "D"],
        "III": ["B", "C", "D", ""],
        "IV": ["C", "D", "", ""],
        "V": ["D", "", "", ""],
        "VI": ["", "", "", ""],
        "VII": ["", "", "", ""]})
    detour_factor: float = Field(default=1.3, ge=1.0, le=3.0)
    # A site or stop farther than this (metres) from the loaded walking network is measured by
    # straight line × detour_factor instead; the snapping distance counts as walking.
    network_snap_m: float = Field(default=50.0, ge=0.0)

    @model_validator(mode="after")
    def _tables_fit(self) -> TransitSettings:
        if sorted(self.headway_limits_min) != self.headway_limits_min or any(
                v <= 0 for v in self.headway_limits_min):
            raise ValueError("headway_limits_min must be positive and ascending")
        if sorted(self.rings_m) != self.rings_m or any(v <= 0 for v in self.rings_m):
            raise ValueError("rings_m must be positive and ascending")
        for mode, group in self.mode_groups.items():
            if group not in STOP_GROUPS:
                raise ValueError(f"mode_groups.{mode}: {group!r} is not one of {STOP_GROUPS}")
        for group in STOP_GROUPS:
            row = self.categories.get(group)
            if row is None or len(row) != len(self.headway_limits_min):
                raise ValueError(f"categories.{group} needs one category per headway interval "
                                 f"({len(self.headway_limits_min)})")
            unknown = {c for c in row if c and c not in self.classes}
            if unknown:
                raise ValueError(f"categories.{group}: {sorted(unknown)} missing from classes")
        for category, row in self.classes.items():
            if len(row) != len(self.rings_m):
                raise ValueError(f"classes.{category} needs one class per ring ({len(self.rings_m)})")
            if any(c and c not in QUALITY_CLASSES for c in row):
                raise ValueError(f"classes.{category}: classes must be A, B, C, D or empty")
        return self

    @property
    def max_reach_m(self) -> float:
        """The outermost ring, in walking metres."""
        return self.rings_m[-1]


class AbcRules(BaseModel):
    """When a place is an A, B or C site."""

    model_config = ConfigDict(extra="forbid")

    a_transit_classes: list[str] = Field(default_factory=lambda: ["A"])
    a_centre_max_m: float = Field(default=500, ge=0)
    a_centre_levels: list[str] = Field(default_factory=lambda: [
        "regionsenter", "kommunedelsenter", "lokalsenter"])
    b_transit_classes: list[str] = Field(default_factory=lambda: ["A", "B"])
    b_road_max_m: float = Field(default=5000, ge=0)
    c_road_max_m: float = Field(default=3000, ge=0)
    # Junctions on these roads count for road access; empty = every junction loaded.
    roads: list[str] = Field(default_factory=lambda: ["E18", "E134"])


class ProfileThresholds(BaseModel):
    """A business's need (A/B/C) from its intensities, all per 1,000 m² of floor area."""

    model_config = ConfigDict(extra="forbid")

    workplace_a_min: float = Field(default=40, gt=0)   # employees/1,000 m² (≈ 25 m² each: offices)
    workplace_b_min: float = Field(default=20, gt=0)   # ≈ 50 m² each
    visitor_a_min: float = Field(default=50, gt=0)     # visitors a day per 1,000 m²
    visitor_b_min: float = Field(default=10, gt=0)
    goods_b_min: float = Field(default=2, gt=0)        # goods trips a day per 1,000 m²: not A
    goods_c_min: float = Field(default=10, gt=0)       # ... needs the main road: C

    @model_validator(mode="after")
    def _ordered(self) -> ProfileThresholds:
        for name in ("workplace", "visitor"):
            if getattr(self, f"{name}_a_min") < getattr(self, f"{name}_b_min"):
                raise ValueError(f"{name}_a_min must be at least {name}_b_min")
        if self.goods_c_min < self.goods_b_min:
            raise ValueError("goods_c_min must be at least goods_b_min")
        return self


class MatchingWeights(BaseModel):
    """Points each part of the score can give, before scaling to 0–100.

    A part's weight is its base weight times the factor for the profile's need; the weights of
    the parts in play (the centre only when a preferred centre is given) are then scaled to sum
    to 100, so a score of 100 means the best possible site for that profile. For A and B
    profiles one step of transit class must be worth more than the whole range of readiness
    (a ready site far from transit may not outrank a zoned one by the station)."""

    model_config = ConfigDict(extra="forbid")

    abc_fit: float = Field(default=40, ge=0)
    transit: float = Field(default=35, ge=0)
    road: float = Field(default=25, ge=0)
    readiness: float = Field(default=15, ge=0)
    centre: float = Field(default=10, ge=0)
    # Road distance (m) at which road points reach zero; likewise for the preferred centre.
    road_zero_m: float = Field(default=10000, gt=0)
    centre_zero_m: float = Field(default=10000, gt=0)
    readiness_points: dict[str, float] = Field(default_factory=lambda: {
        "ledig_naa": 1.0, "regulert": 0.6, "kommuneplan": 0.2})
    # Share of the ABC points a site of each class gets, by the profile's need (row).
    fit: dict[str, dict[str, float]] = Field(default_factory=lambda: {
        "A": {"A": 1.0, "B": 0.5, "C": 0.1},
        "B": {"A": 0.8, "B": 1.0, "C": 0.4},
        "C": {"A": 0.2, "B": 0.7, "C": 1.0}})
    # How much transit, road and readiness points count, by the profile's need.
    transit_by_need: dict[str, float] = Field(default_factory=lambda: {
        "A": 1.0, "B": 0.75, "C": 0.15})
    road_by_need: dict[str, float] = Field(default_factory=lambda: {
        "A": 0.2, "B": 0.6, "C": 1.0})
    readiness_by_need: dict[str, float] = Field(default_factory=lambda: {
        "A": 0.5, "B": 0.5, "C": 1.0})

    @model_validator(mode="after")
    def _every_need(self) -> MatchingWeights:
        for name in ("fit", "transit_by_need", "road_by_need", "readiness_by_need"):
            missing = set(ABC_CLASSES) - set(getattr(self, name))
            if missing:
                raise ValueError(f"{name} needs a value for need {sorted(missing)}")
        return self

    @model_validator(mode="after")
    def _transit_outranks_readiness(self) -> MatchingWeights:
        for need in ("A", "B"):
            step = self.transit_class_step(need)
            spread = self.readiness_spread(need)
            if step <= spread:
                raise ValueError(
                    f"for need {need} one transit class step ({step:g} points) must be worth "
                    f"more than the whole readiness range ({spread:g} points)")
        return self

    def transit_class_step(self, need: str) -> float:
        """Points between neighbouring transit classes (A 1, B 0.75, C 0.5, D 0.25)."""
        return 0.25 * self.transit * self.transit_by_need[need]

    def readiness_spread(self, need: str) -> float:
        """Points between the least and the most ready site."""
        values = list(self.readiness_points.values()) or [0.0]
        return self.readiness * self.readiness_by_need[need] * (max(values) - min(values))

    def scaled(self, need: str, with_centre: bool) -> dict[str, float]:
        """Most points each part gives for this need, scaled so that the parts sum to 100."""
        raw = {"abc": self.abc_fit, "transit": self.transit * self.transit_by_need[need],
               "road": self.road * self.road_by_need[need],
               "readiness": self.readiness * self.readiness_by_need[need],
               "centre": self.centre if with_centre else 0.0}
        total = sum(raw.values())
        return {key: (100 * value / total if total else 0.0) for key, value in raw.items()}


class AbcSettings(BaseModel):
    """The whole [abc] section."""

    model_config = ConfigDict(extra="forbid")

    transit: TransitSettings = Field(default_factory=TransitSettings)
    rules: AbcRules = Field(default_factory=AbcRules)
    profile: ProfileThresholds = Field(default_factory=ProfileThresholds)
    matching: MatchingWeights = Field(default_factory=MatchingWeights)

    @classmethod
    def from_mapping(cls, raw: dict[str, Any] | None, where: str = "[abc]") -> AbcSettings:
        """Validate a raw [abc] table; ConfigError names the bad key."""
        try:
            return cls(**(raw or {}))
        except ValidationError as exc:
            raise ConfigError(f"{where}: {describe_validation_error(exc)}") from exc

    @classmethod
    def from_kommune(cls, kommune: KommuneConfig) -> AbcSettings:
        """The kommune's [abc] section, defaults where it says nothing."""
        return cls.from_mapping(kommune.extra.get("abc"), f"{kommune.name}: [abc]")


def default_abc_settings() -> AbcSettings:
    """The settings of the configured kommune (environment + its TOML file)."""
    from gis.config import load_settings

    return AbcSettings.from_kommune(load_settings().kommune)
