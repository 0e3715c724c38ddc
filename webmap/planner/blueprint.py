"""The planner pages' blueprint: every route in it needs a signed-in planner or admin."""

from __future__ import annotations

from flask import Blueprint

from webmap.auth import require_admin, require_planner

bp = Blueprint("planner", __name__)
bp.before_request(require_planner)

admin_bp = Blueprint("planner_admin", __name__)
admin_bp.before_request(require_admin)
