"""Rett virksomhet på rett sted: the "Finn riktig tomt" site finder and the ABC JSON API.

views         the form (/finn-tomt, /en/find-site) and /api/abc/*
openapi_part  the API's part of /api/openapi.json
"""
