"""The planner pages (each module adds its routes to the one blueprint)."""

from webmap.planner import (
    views_dashboard,
    views_indicators,
    views_leads,
    views_premises,
    views_sites,
    views_upload,
)
from webmap.planner.blueprint import bp

__all__ = ["bp", "views_dashboard", "views_indicators", "views_leads", "views_premises",
           "views_sites", "views_upload"]
