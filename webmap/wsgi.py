"""WSGI entry point for gunicorn: settings come from the environment."""

from webmap import create_app

app = create_app()
