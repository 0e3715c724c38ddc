"""What GDAL's GML driver leaves out: the xlink:href associations between features, and the
line of an XML error. National plan GML (Arealplan 5.0) ties areas to their plan only by
links: RpArealformålOmråde → RpOmråde → Arealplan, the last with no geometry of its own."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml.ElementTree import iterparse

from etl.errors import LoadError

_GML_ID = ("{http://www.opengis.net/gml/3.2}id", "{http://www.opengis.net/gml}id")
_HREF = "{http://www.w3.org/1999/xlink}href"


def feature_links(path: Path) -> dict[str, list[str]]:
    """gml:id of each feature → the gml:ids its local xlinks (href="#id") point to.

    Streams the file once (defusedxml: no entity expansion); a malformed file is refused
    with the XML error's line and column."""
    links: dict[str, list[str]] = {}
    open_ids: list[str | None] = []
    try:
        for event, element in iterparse(str(path), events=("start", "end")):
            if event == "start":
                open_ids.append(next((element.get(a) for a in _GML_ID if element.get(a)), None))
                continue
            open_ids.pop()
            href = element.get(_HREF)
            if href and href.startswith("#"):
                # The nearest enclosing element with a gml:id that is a feature, not a geometry.
                owner = next((i for i in reversed(open_ids) if i), None)
                if owner is not None:
                    links.setdefault(owner, []).append(href[1:])
            element.clear()  # read already; keeps memory flat on big files
    except ParseError as exc:
        line, _column = exc.position
        raise LoadError(f"{path.name}:{line}: not well-formed XML ({exc})") from None
    return links


def check_well_formed(path: Path) -> None:
    """Raise a LoadError naming the line of the first XML error, if the file has one."""
    feature_links(path)
