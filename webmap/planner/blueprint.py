"""The planner pages' blueprint: every route in it needs a signed-in planner or admin."""

from __future__ import annotations

from werkzeug.wrappers import Response

from webmap.auth import require_admin, require_planner
from webmap.planner.paths import LocalisedBlueprint

bp = LocalisedBlueprint("planner", __name__)
bp.before_request(require_planner)

admin_bp = LocalisedBlueprint("planner_admin", __name__)
admin_bp.before_request(require_admin)


def no_store(response: Response) -> Response:
    """Planner pages hold personal data and drafts: never cached by browsers or proxies."""
    response.headers["Cache-Control"] = "no-store"
    return response


bp.after_request(no_store)
admin_bp.after_request(no_store)
