"""Public-transport quality class C around stops (ÖV-Güteklassen rings)."""

from layers._abc import transit_area_layer

LAYER = transit_area_layer("C", order=32)
