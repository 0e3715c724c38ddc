"""What planner views share: settings, geometry rules, the acting user."""

from __future__ import annotations

from flask_login import current_user

from gis.planner.settings import PlannerSettings, planner_settings
from gis.planner.site_rules import GeometryRules
from webmap.database import get_settings


def settings() -> PlannerSettings:
    """The planner settings of the running app."""
    return planner_settings(get_settings().kommune)


def rules() -> GeometryRules:
    """What drawn polygons are checked against."""
    app_settings = get_settings()
    return GeometryRules(app_settings.kommune.storage_srid, app_settings.kommune.kommunenummer,
                         settings().area_tolerance)


def actor() -> str:
    """The signed-in user's name, recorded in the history."""
    return str(current_user.username)
