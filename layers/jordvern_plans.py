"""Plan boundaries with each plan's rezoned cultivated land in the popup."""

from layers.base import Layer, LegendEntry, PopupField, Text

LAYER = Layer(
    id="jordvern_plans",
    table="jordvern_plan",
    title=Text("Planer og omdisponert dyrka jord", "Plans and rezoned cultivated land"),
    source=Text("Kommunens plandata og AR5 (NIBIO); demodata er fiktive",
                "The kommune's plan data and AR5 (NIBIO); demo data is fictional"),
    properties=("nasjonal_arealplan_id", "plannavn", "status_label", "year", "rezoned_daa",
                "gross_daa", "counted"),
    popup=(
        PopupField("status_label", Text("Status", "Status")),
        PopupField("rezoned_daa", Text("Omdisponert dyrka jord (daa)",
                                       "Cultivated land rezoned (daa)")),
        PopupField("gross_daa", Text("Dyrka jord i ikke-landbruksformål (daa)",
                                     "Cultivated land in non-agricultural purposes (daa)")),
        PopupField("counted", Text("Teller i jordvernregnskapet", "Counts in the jordvern ledger")),
    ),
    key_column="plan_id",
    label_column="plannavn",
    style={"color": "#3f007d", "weight": 2, "fill": True, "fillOpacity": 0.05,
           "dashArray": "4 3"},
    legend=(LegendEntry(Text("Plangrense", "Plan boundary"), "none", "#3f007d"),),
    show=False,
    order=30,
    group="plans",
)
