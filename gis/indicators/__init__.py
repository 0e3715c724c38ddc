"""The plan's indicators from the loaded statistics: workplaces, egendekning, growth share,
share living and working in the kommune, the plan's projection and the dashboard's indicator set.

`settings` reads the kommune file; `series` turns statistic rows into yearly series; `places`,
`projection` and `report` compute what the indicator page shows; `manual` stores NHO ranks."""

from gis.indicators.manual import MANUAL_INDICATORS, set_manual_value
from gis.indicators.places import (
    WORKPLACE_INDICATORS,
    CentralShare,
    PlaceFigures,
    PlaceSeries,
    central_share,
    centre_figures,
    former_kommune_figures,
    kommune_workplaces,
    published_egendekning,
    tettsted_figures,
    tettsted_series,
)
from gis.indicators.projection import ProjectionYear, projection
from gis.indicators.report import (
    COMPUTED_SOURCE,
    DEFINITIONS,
    JORDVERN_SOURCE,
    GoalStatus,
    IndicatorDefinition,
    IndicatorReport,
    indicator_set,
)
from gis.indicators.series import Observation, growth_share, observations, ratio_series, series
from gis.indicators.settings import IndicatorSettings, Kind, ProjectionSettings

__all__ = [
    "COMPUTED_SOURCE", "DEFINITIONS", "JORDVERN_SOURCE", "MANUAL_INDICATORS",
    "WORKPLACE_INDICATORS", "CentralShare", "GoalStatus", "IndicatorDefinition",
    "IndicatorReport", "IndicatorSettings", "Kind", "Observation", "PlaceFigures", "PlaceSeries",
    "ProjectionSettings", "ProjectionYear", "central_share", "centre_figures",
    "former_kommune_figures", "growth_share", "indicator_set", "kommune_workplaces",
    "observations", "projection", "published_egendekning", "ratio_series", "series",
    "set_manual_value", "tettsted_figures", "tettsted_series",
]
