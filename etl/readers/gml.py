"""A streaming pass over a GML file: XML errors with their line, and the xlink:href links
between features (GDAL's GML driver does not follow them: national plan GML ties its areas to
their Arealplan only by links)."""

from __future__ import annotations

# Expat (2.4.1 and later) refuses entity expansion bombs; GML needs no DTD.
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import LoadError

GML_SUFFIXES = (".gml", ".xml")
_GML_ID = ("{http://www.opengis.net/gml/3.2}id", "{http://www.opengis.net/gml}id")
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Elements that wrap one feature each in a GML FeatureCollection.
_MEMBERS = {"featureMember", "featureMembers", "member"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@dataclass
class GmlScan:
    """What one pass over a GML file found: each feature's local xlinks and the feature types."""

    # gml:id of a feature → the gml:ids its xlink:href="#…" point to (area → RpOmråde → Arealplan).
    links: dict[str, list[str]] = field(default_factory=dict)
    feature_types: list[str] = field(default_factory=list)  # element names, in file order


def is_gml(path: Path) -> bool:
    return path.suffix.lower() in GML_SUFFIXES


def scan(path: Path) -> GmlScan:
    """Check that the file is well-formed XML (a LoadError names file, line and column) and
    collect the plan links on the way; memory stays flat (each feature is freed when read)."""
    found = GmlScan()
    stack: list[ET.Element] = []
    try:
        for event, element in ET.iterparse(path, events=("start", "end")):
            if event == "start":
                stack.append(element)
                continue
            stack.pop()
            parent = stack[-1] if stack else None
            if parent is None or _local(parent.tag) not in _MEMBERS:
                continue
            if _local(element.tag) not in found.feature_types:
                found.feature_types.append(_local(element.tag))
            _collect(element, found)
            element.clear()
    except ET.ParseError as exc:
        line, column = exc.position
        message = str(exc).split(":", 1)[0]
        raise LoadError(f"{path.name}: line {line}, column {column + 1}: the XML is broken "
                        f"({message})") from exc
    return found


def _collect(feature: ET.Element, found: GmlScan) -> None:
    gml_id = next((feature.get(name) for name in _GML_ID if feature.get(name)), None)
    if gml_id is None:
        return
    for child in feature.iter():
        href = child.get(_XLINK_HREF)
        if href and href.startswith("#"):
            found.links.setdefault(gml_id, []).append(href[1:])
