"""Public-transport quality class D around stops (ÖV-Güteklassen rings)."""

from layers._abc import transit_area_layer

LAYER = transit_area_layer("D", order=33)
