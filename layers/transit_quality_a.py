"""Public-transport quality class A around stops (ÖV-Güteklassen rings)."""

from layers._abc import transit_area_layer

LAYER = transit_area_layer("A", order=30)
