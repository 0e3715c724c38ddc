"""Focus areas (særlige fokusområder): where the kommune acts to attract investment."""

from layers.base import Layer, LegendEntry, PopupField, Text

LAYER = Layer(
    id="focus_areas",
    table="focus_area",
    title=Text("Fokusområder for næring", "Business focus areas"),
    source=Text("{kommune} kommune, planavdelingen (demoområdet er illustrativt)",
                "{kommune} kommune, planning department (the demo area is illustrative)"),
    properties=("name_nb", "name_en", "text_nb", "text_en", "illustrative"),
    popup=(
        PopupField("name_nb", Text("Navn", "Name (Norwegian)")),
        PopupField("name_en", Text("Navn (engelsk)", "Name"), only_lang="en"),
        PopupField("text_nb", Text("Beskrivelse", "Description (Norwegian)"), only_lang="nb"),
        PopupField("text_en", Text("Beskrivelse (engelsk)", "Description"), only_lang="en"),
        PopupField("illustrative", Text("Illustrativ avgrensning", "Illustrative outline")),
    ),
    key_column="name_nb",
    label_column="name_nb",
    style={"color": "#1b5e20", "weight": 2, "dashArray": "8 4", "fillColor": "#66bb6a",
           "fillOpacity": 0.12},
    legend=(LegendEntry(Text("Fokusområde (stiplet grønn kant)", "Focus area (dashed green edge)"),
                        "#66bb6a", "#1b5e20"),),
    order=30,
    group="plans",
)
