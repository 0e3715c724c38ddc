"""Public-transport quality class B around stops (ÖV-Güteklassen rings)."""

from layers._abc import transit_area_layer

LAYER = transit_area_layer("B", order=31)
