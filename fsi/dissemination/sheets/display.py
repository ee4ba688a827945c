"""What a sheet's body shows (templates/dissemination/sheets/_body.html), ready for the
template: its Markdown sections rendered and sanitised, the project's figures, the chosen
attachments (images with their alternative text, documents), the contact, the reproductions
and their territory table. Used by the sheet's own page and the catalogue's public page."""
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import url_for
from sqlmodel import select

from fsi import markdown
from fsi.accounts.models import Organisation, Territory
from fsi.applications.budget import totals_for
from fsi.calls.models import Call, Theme
from fsi.db import db
from fsi.dissemination.sheets.access import application_of, can_declare_reproduction
from fsi.dissemination.sheets.models import Reproduction
from fsi.dissemination.sheets.sheets import chosen_attachments, is_image
from fsi.formatting import day
from fsi.funding.models import Project
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import pick

#: the Markdown sections in the order a reader meets them, with their headings
SECTIONS = (
    ("problem", _l("Le problème")),
    ("actions", _l("Ce qui a été fait")),
    ("novelty", _l("Ce qui était nouveau")),
    ("budget", _l("Budget")),
    ("results", _l("Résultats")),
    ("lessons", _l("Enseignements")),
    ("reproduce", _l("Pour reproduire la pratique")),
)


@dataclass
class Section:
    name: str
    label: str
    html: str


@dataclass
class Figures:
    organisation: str
    call: str
    territory: str | None = None
    theme: str | None = None
    total_cost: object = None
    granted: object = None
    period: str | None = None


@dataclass
class Shown:
    url: str
    filename: str
    alt_text: str
    caption: str


@dataclass
class TerritoryCount:
    label: str
    count: int
    epcis: list = field(default_factory=list)


@dataclass
class ReproductionRow:
    reproduction: Reproduction
    organisation: str
    territory: str | None


@dataclass
class SheetPage:
    sheet: object
    sections: list
    figures: Figures
    images: list
    documents: list
    contact: dict | None
    reproductions: list
    territories: list
    #: the reproductions' contacts are shown to signed-in users only
    show_contacts: bool
    may_declare: bool


def render_sections(sheet):
    """The sheet's non-empty Markdown fields as sanitised HTML (the writer's headings sit under
    the section's own)."""
    return [Section(name, label, markdown.render(getattr(sheet, name), heading_offset=2))
            for name, label in SECTIONS if (getattr(sheet, name) or "").strip()]


def _territory_label(territory):
    return f"{territory.epci} ({territory.department})" if territory else None


def figures_of(application):
    organisation = db.session.get(Organisation, application.organisation_id)
    call = db.session.get(Call, application.call_id)
    territory = db.session.get(Territory, application.territory_id) if application.territory_id else None
    theme = db.session.get(Theme, application.theme_id) if application.theme_id else None
    project = db.session.exec(select(Project).where(Project.application_id == application.id)).first()
    totals = totals_for(application)
    start = project.starts_on if project and project.starts_on else application.start_date
    end = project.ends_on if project and project.ends_on else application.end_date
    period = f"{day(start)} – {day(end)}" if start and end else None
    return Figures(organisation=organisation.name, call=call.title, territory=_territory_label(territory),
                   theme=pick(theme.label) if theme else None,
                   total_cost=totals.total_incl_tax if totals.total_incl_tax else None,
                   granted=project.granted_amount if project else application.approved_amount, period=period)


def reproductions_of(sheet_id):
    """[ReproductionRow] (newest first) and the territory table: department -> count, each with
    its EPCI -> count; a reproduction without a territory counts under « Non précisé »."""
    rows = db.session.exec(select(Reproduction, Organisation, Territory)
                           .join(Organisation, Organisation.id == Reproduction.organisation_id)
                           .outerjoin(Territory, Territory.id == Reproduction.territory_id)
                           .where(Reproduction.sheet_id == sheet_id)
                           .order_by(Reproduction.reproduced_on.desc(), Reproduction.id.desc())).all()
    listed = [ReproductionRow(reproduction, organisation.name, _territory_label(territory))
              for reproduction, organisation, territory in rows]
    departments = OrderedDict()
    for _reproduction, _organisation, territory in sorted(rows, key=lambda r: (r[2] is None, r[2] and r[2].department,
                                                                               r[2] and r[2].epci)):
        key = territory.department if territory else str(_l("Non précisé"))
        entry = departments.setdefault(key, TerritoryCount(key, 0))
        entry.count += 1
        if territory:
            if entry.epcis and entry.epcis[-1].label == territory.epci:
                entry.epcis[-1].count += 1
            else:
                entry.epcis.append(TerritoryCount(territory.epci, 1))
    return listed, list(departments.values())


def sheet_page(sheet, user):
    application = application_of(sheet)
    images, documents = [], []
    for chosen, attachment in chosen_attachments([sheet.id])[sheet.id]:
        shown = Shown(url_for("sheets.attachment", sheet_id=sheet.id, attachment_id=attachment.id),
                      attachment.filename, chosen.alt_text, chosen.caption)
        (images if is_image(attachment) else documents).append(shown)
    contact = None
    if sheet.contact_name or sheet.contact_email:
        contact = {"name": sheet.contact_name, "role": sheet.contact_role, "email": sheet.contact_email}
    listed, territories = reproductions_of(sheet.id)
    return SheetPage(sheet=sheet, sections=render_sections(sheet), figures=figures_of(application), images=images,
                     documents=documents, contact=contact, reproductions=listed, territories=territories,
                     show_contacts=bool(getattr(user, "is_authenticated", False)),
                     may_declare=can_declare_reproduction(sheet, user))
