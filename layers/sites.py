"""Available business sites (næringsarealer), published ones only."""

from layers.base import Layer, LegendEntry, PopupField, Text

LAYER = Layer(
    id="sites",
    table="site",
    title=Text("Ledige næringsarealer", "Available business sites"),
    source=Text("Asker kommune, næringsarealregister (demodata er fiktive)",
                "Asker kommune, business land register (demo data is fictional)"),
    properties=("site_key", "name", "area_m2", "status", "readiness", "planned_use",
                "zoning_code", "ownership", "tettsted", "fictional"),
    popup=(
        PopupField("name", Text("Navn", "Name")),
        PopupField("area_m2", Text("Areal (m²)", "Area (m²)")),
        PopupField("status", Text("Status", "Status")),
        PopupField("planned_use", Text("Planlagt bruk", "Planned use")),
        PopupField("tettsted", Text("Tettsted", "Settlement")),
    ),
    key_column="site_key",
    label_column="name",
    public_filter="published",
    style={"color": "#b35900", "weight": 2, "fillColor": "#ff9933", "fillOpacity": 0.45},
    legend=(LegendEntry(Text("Ledig næringsareal", "Available site"), "#ff9933", "#b35900"),),
    order=50,
)
