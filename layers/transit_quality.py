"""Public-transport quality classes A–D: along the walking network around stops on it,
straight-line rings (ÖV-Güteklassen) around the others."""

from layers._abc import transit_area_layer

LAYER = transit_area_layer(order=30)
