"""Published sites with ABC class C (rett virksomhet på rett sted)."""

from layers._abc import abc_site_layer

LAYER = abc_site_layer("C", order=62)
