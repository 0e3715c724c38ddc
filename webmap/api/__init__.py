"""The public JSON API's shared parts.

layers   /api/layers and /api/layers/<id>/features
openapi  /api/openapi.json, assembled from every blueprint module's OPENAPI part
"""
