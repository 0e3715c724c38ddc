"""Published sites with ABC class A (rett virksomhet på rett sted)."""

from layers._abc import abc_site_layer

LAYER = abc_site_layer("A", order=60)
