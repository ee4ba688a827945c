"""The sections of the application form, in order, with their French titles."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Section:
    name: str
    title: object


SECTIONS = (
    Section("organisation", _l("Porteur et contact")),
    Section("project", _l("Projet")),
    Section("budget", _l("Budget")),
    Section("timeline", _l("Calendrier")),
    Section("results", _l("Résultats et évaluation")),
    Section("attachments", _l("Pièces jointes")),
)
SECTION_NAMES = tuple(s.name for s in SECTIONS)
SECTIONS_BY_NAME = {s.name: s for s in SECTIONS}
