"""The sections of the application form, in order, with their French titles."""
from dataclasses import dataclass

from fsi.i18n import lazy_gettext as _l


@dataclass(frozen=True)
class Section:
    name: str
    title: object
    #: the Application columns the section's form owns (lines and files live in their tables)
    columns: tuple = ()


SECTIONS = (
    Section("organisation", _l("Porteur et contact"),
            ("contact_name", "contact_role", "contact_email", "contact_phone")),
    Section("project", _l("Projet"),
            ("title", "summary", "description", "innovation", "beneficiaries", "territory_id", "partners",
             "kind", "theme_id")),
    Section("budget", _l("Budget"), ("requested_amount", "vat_recoverable")),
    Section("timeline", _l("Calendrier"), ("start_date", "end_date")),
    Section("results", _l("Résultats et évaluation"), ("expected_results", "indicators")),
    Section("attachments", _l("Pièces jointes")),
)
SECTION_NAMES = tuple(s.name for s in SECTIONS)
SECTIONS_BY_NAME = {s.name: s for s in SECTIONS}
