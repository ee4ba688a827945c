"""Dissemination (capitalisation): what funded projects taught, reaching the other housing bodies.
Practice sheets (fiches d'expérience, workflows/sheet.yaml) written by the project leads and
published by staff, with the bodies that reproduced them (essaimage); Ateliers and Clubs de
réflexion; the public catalogue (French-aware full-text search), its Atom feed and open data; the
public home page. Three parts, each with its own init_app: sheets, events, catalogue."""
from fsi.dissemination import catalogue, events, sheets


def init_app(app):
    sheets.init_app(app)
    events.init_app(app)
    catalogue.init_app(app)
