"""Public-transport quality class D: along the walking network around stops on it, straight-line
rings (ÖV-Güteklassen) around the others."""

from layers._abc import transit_area_layer

LAYER = transit_area_layer("D", order=33)
