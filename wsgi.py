"""WSGI entry point: ``gunicorn wsgi:app``; lets ``flask`` find the app without ``--app``."""
from fsi import create_app

app = create_app()
