"""WCAG 2.1 AA checks with axe-core (vendored from npm in tests/assets)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parent / "assets" / "axe.min.js"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page, selector: str | None = None) -> list[dict[str, Any]]:
    """Violations of WCAG 2.1 A/AA on the page (the context needs bypass_csp=True)."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result: dict[str, Any] = page.evaluate(
        """async ([selector, tags]) => await axe.run(selector || document,
               {runOnly: {type: 'tag', values: tags}})""",
        [selector, WCAG_AA_TAGS])
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable summary for an assertion message."""
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)
