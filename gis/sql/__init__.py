"""SQL files used by gis modules (loaded with importlib.resources)."""
