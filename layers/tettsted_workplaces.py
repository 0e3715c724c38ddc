"""Workplaces per tettsted (choropleth) with egendekning in the popup and tooltip."""

from layers.base import Layer, LegendEntry, PopupField, Text

CLASSES = (
    ("under 1 000", "under 1,000", "#eff3ff"),
    ("1 000–2 499", "1,000–2,499", "#bdd7e7"),
    ("2 500–4 999", "2,500–4,999", "#6baed6"),
    ("5 000–9 999", "5,000–9,999", "#3182bd"),
    ("10 000 og flere", "10,000 or more", "#08519c"),
    ("ingen tall", "no figures", "#ffffff"),
)

LAYER = Layer(
    id="tettsted_workplaces",
    table="tettsted_indicator",
    title=Text("Arbeidsplasser per tettsted", "Workplaces per settlement"),
    source=Text("SSB tettsteder og sysselsettingstall; demodata er fiktive",
                "Statistics Norway settlements and employment; demo data is fictional"),
    properties=("tettstednummer", "name", "year", "arbeidsplasser", "sysselsatte_bosted",
                "egendekning_pct", "klasse", "fill", "fictional"),
    popup=(
        PopupField("year", Text("År", "Year")),
        PopupField("arbeidsplasser", Text("Arbeidsplasser", "Workplaces")),
        PopupField("klasse", Text("Klasse", "Class"),
                   values=tuple((nb, Text(nb, en)) for nb, en, _fill in CLASSES)),
        PopupField("sysselsatte_bosted", Text("Sysselsatte bosatte", "Employed residents")),
        PopupField("egendekning_pct", Text("Egendekning (%)", "Self-sufficiency in jobs (%)")),
        PopupField("fictional", Text("Fiktive tall", "Fictional figures")),
    ),
    label_column="name",
    style={"color": "#08306b", "weight": 1, "fillColor": "#6baed6", "fillOpacity": 0.6},
    # The class is also in the popup and the table on /indikatorer: never colour alone.
    style_rules={"rules": [{"if": {"klasse": nb}, "style": {"fillColor": fill}}
                           for nb, _en, fill in CLASSES]},
    legend=tuple(LegendEntry(Text(nb, en), fill, "#08306b") for nb, en, fill in CLASSES),
    show=False,
    order=20,
    group="analyses",
)
