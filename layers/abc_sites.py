"""Published sites by ABC class (rett virksomhet på rett sted)."""

from layers._abc import abc_site_layer

LAYER = abc_site_layer(order=60)
