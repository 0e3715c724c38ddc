"""Published sites with ABC class B (rett virksomhet på rett sted)."""

from layers._abc import abc_site_layer

LAYER = abc_site_layer("B", order=61)
