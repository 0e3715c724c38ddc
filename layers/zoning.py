"""Zoning: plan areas of current, adopted plans as vector tiles, in the official plan colours.

Fill colours are DiBK's official SLD colours (via the project's code tables) of each category's
main code, nåværende and framtidig; framtidig areas also get a dashed outline so that the
difference never rests on colour alone.
"""

from gis.codes.english import pbl2008_purpose_names_en
from layers.base import Layer, LegendEntry, PopupField, Text, TileSource

COLUMNS = ("plannavn", "planidentifikasjon", "plantype", "code", "code_name", "category",
           "arealbruksstatus", "feltnavn", "utnytting_type", "utnytting_tall")

# category: (label nb, label en, nåværende fill, framtidig fill) — DiBK KPA 2008 colours.
CATEGORIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("sentrum", "Sentrum", "Centre", "#cc9900", "#996600"),
    ("naering", "Næring", "Business", "#cc99ff", "#9966cc"),
    ("kombinert_naering", "Kombinert med næring", "Mixed use with business", "#ffcc00", "#e6b800"),
    ("bolig", "Bolig", "Housing", "#ffff99", "#ffff33"),
    ("tjenesteyting", "Tjenesteyting", "Public and private services", "#ff9999", "#ff6699"),
    ("samferdsel", "Samferdsel", "Transport and infrastructure", "#cccccc", "#999999"),
    ("gronn", "Grønnstruktur", "Green space", "#99ff99", "#66cc66"),
    ("lnfr", "LNFR", "Agriculture, nature and outdoor recreation", "#ccff99", "#99ff66"),
    ("sjo", "Sjø og vassdrag", "Sea and waterways", "#ccffff", "#66ffff"),
    ("other", "Annet", "Other", "#ffcc00", "#e6b900"),
)
FUTURE = 2
# English names of the PBL 2008 purposes, for English popups (older codes have none).
ENGLISH_PURPOSES = tuple((code, Text(name, name)) for code, name in pbl2008_purpose_names_en().items())

LAYER = Layer(
    id="zoning",
    table="plan_area",
    title=Text("Arealformål (planer)", "Zoning (plans)"),
    source=Text("Kommuneplanens arealdel og reguleringsplaner, {kommune} kommune (demodata er fiktive); "
                "farger etter DiBKs tegneregler",
                "Municipal master plan and zoning plans, {kommune} kommune (demo data is fictional); "
                "colours from DiBK's drawing rules"),
    properties=COLUMNS,
    popup=(
        PopupField("code", Text("Arealformål", "Land use"), values=ENGLISH_PURPOSES, only_lang="en",
                   hide_unknown=True),
        PopupField("code_name", Text("Arealformål", "Land use (Norwegian name)")),
        PopupField("category", Text("Formålsgruppe", "Land use group"),
                   values=tuple((key, Text(nb, en)) for key, nb, en, _now, _future in CATEGORIES)),
        PopupField("code", Text("Kode", "Code")),
        PopupField("arealbruksstatus", Text("Status", "Status"),
                   values=(("1", Text("nåværende", "current")), ("2", Text("framtidig", "future")))),
        PopupField("feltnavn", Text("Felt", "Field")),
        PopupField("utnytting_tall", Text("Utnytting", "Plot ratio")),
        PopupField("plannavn", Text("Plan", "Plan")),
        PopupField("planidentifikasjon", Text("Plan-ID", "Plan id")),
    ),
    label_column="code_name",
    delivery="mvt",
    min_zoom=9,
    max_zoom=22,
    show=False,
    tile_sources=(
        TileSource("tile_zoning_z0", COLUMNS, 9, 11),
        TileSource("tile_zoning_z12", COLUMNS, 12, 13),
        TileSource("tile_zoning", COLUMNS, 14, 22),
    ),
    version_tables=("plan", "plan_area"),
    style={"weight": 0.6, "color": "#333333", "fill": True, "fillOpacity": 0.55,
           "fillColor": "#ffcc00"},
    style_rules={"rules": [
        *({"if": {"category": key}, "style": {"fillColor": now}}
          for key, _nb, _en, now, _future in CATEGORIES),
        *({"if": {"category": key, "arealbruksstatus": FUTURE},
           "style": {"fillColor": future, "dashArray": "6 4", "weight": 2}}
          for key, _nb, _en, _now, future in CATEGORIES),
    ]},
    legend=(
        *(LegendEntry(Text(nb, en), now, "#333333") for _key, nb, en, now, _future in CATEGORIES),
        LegendEntry(Text("Framtidig formål (stiplet kant, mørkere farge)",
                         "Future land use (dashed outline, darker colour)"),
                    "#9966cc", "#333333", pattern="dashed"),
    ),
    order=20,
    group="plans",
)
