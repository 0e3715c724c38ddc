"""Cultivated land rezoned by plans, coloured by adoption year (gis/jordvern computes it)."""

from gis.jordvern import PROPOSAL_CLASS, YEAR_CLASSES
from layers.base import Layer, LegendEntry, PopupField, Text

LAYER = Layer(
    id="jordvern_rezoned",
    table="jordvern_piece",
    title=Text("Omdisponert dyrka jord", "Rezoned cultivated land"),
    source=Text("Beregnet fra reguleringsplaner og AR5 (NIBIO); demodata er fiktive",
                "Computed from regulation plans and AR5 (NIBIO); demo data is fictional"),
    properties=("plannavn", "year", "status", "arealtype_name", "daa", "category", "year_class",
                "fill"),
    popup=(
        PopupField("plannavn", Text("Plan", "Plan")),
        PopupField("year", Text("Vedtaksår", "Year adopted")),
        PopupField("status", Text("Status", "Status"),
                   values=(("vedtatt", Text("vedtatt", "adopted")),
                           ("forslag", Text("planforslag", "proposal")))),
        PopupField("arealtype_name", Text("Arealtype (AR5)", "Land type (AR5)")),
        PopupField("daa", Text("Dekar", "Dekar")),
    ),
    label_column="year_class",
    style={"color": "#5b2a00", "weight": 1, "fillColor": "#f16913", "fillOpacity": 0.75},
    # Proposals also get a dashed outline, so they differ from adopted land beyond colour.
    style_rules={"rules": [
        *({"if": {"year_class": c.key}, "style": {"fillColor": c.fill}} for c in YEAR_CLASSES),
        {"if": {"year_class": PROPOSAL_CLASS.key},
         "style": {"fillColor": PROPOSAL_CLASS.fill, "dashArray": "6 4", "weight": 2}},
    ]},
    legend=(
        *(LegendEntry(Text(c.label_nb, c.label_en), c.fill, "#5b2a00") for c in YEAR_CLASSES),
        LegendEntry(Text(PROPOSAL_CLASS.label_nb + " (stiplet kant)",
                         PROPOSAL_CLASS.label_en + " (dashed outline)"),
                    PROPOSAL_CLASS.fill, "#5b2a00", pattern="dashed"),
    ),
    show=False,
    order=40,
    group="analyses",
)
