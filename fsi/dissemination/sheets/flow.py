"""What the sheets lend the engine for workflows/sheet.yaml: the sheet subject, its guards and
effects. Publishing moves the application to its disseminated state (its own ``disseminate``,
fired through the engine so that its timeline says so) and puts the sheet in the catalogue's
search index; unpublishing takes it out. Both in the same transaction as the state change."""
from sqlmodel import select

from fsi.applications.workflow import recipients as application_recipients
from fsi.db import db, utcnow
from fsi.dissemination.catalogue import search_index
from fsi.dissemination.sheets import sheets
from fsi.dissemination.sheets.access import application_of, can_follow_sheet
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.funding.models import Project
from fsi.i18n import N_
from fsi.i18n import lazy_gettext as _l
from fsi.workflow import Provides
from fsi.workflow.registry import Reason, Remedy, definition_of
from fsi.workflow.service import fire

provides = Provides("dissemination-sheets")
#: the application's transition that publishing a sheet fires
DISSEMINATE = "disseminate"


def describe(sheet):
    return f"{application_of(sheet).reference}, {sheet.title}"


provides.subject("sheet", PracticeSheet, owner_organisation=lambda sheet: application_of(sheet).organisation_id,
                 recipients=lambda sheet, audience: application_recipients(application_of(sheet), audience),
                 describe=describe, can_view=can_follow_sheet)


def dissemination_of(application):
    """(may be disseminated now, is already disseminated), read from the application's
    definition: its ``disseminate`` transition's sources and destination."""
    transition = next((t for t in definition_of(application).transitions if t.trigger == DISSEMINATE), None)
    if transition is None:
        return False, False
    return application.state in transition.sources, application.state == transition.dest


@provides.guard("sheet_complete", _l("la fiche est complète (problème, actions, enseignements, conditions, contact, "
                                     "textes alternatifs)"))
def sheet_complete(ctx):
    found = sheets.missing(ctx.row)
    if found:
        return Reason(" ".join(found), Remedy(_l("Compléter la fiche"), "sheets.edit", {"sheet_id": ctx.row.id}))
    return None


@provides.guard("application_disseminable", _l("le projet est soldé"))
def application_disseminable(ctx):
    application = application_of(ctx.row)
    may, already = dissemination_of(application)
    if may or already:
        return None
    project = db.session.exec(select(Project).where(Project.application_id == application.id)).first()
    remedy = Remedy(_l("Voir le projet"), "funding.show", {"project_id": project.id}) if project else None
    return Reason(_l("Le projet doit être soldé avant que sa fiche soit publiée."), remedy)


@provides.effect("record_publication", _l("note la date de publication"))
def record_publication(ctx):
    ctx.row.published_at = utcnow()
    db.session.add(ctx.row)


@provides.effect("disseminate_application", _l("le dossier passe à l'état « capitalisé »"))
def disseminate_application(ctx):
    application = application_of(ctx.row)
    may, _already = dissemination_of(application)
    if may:  # a sheet published again after a revision finds its application already disseminated
        fire(application, DISSEMINATE, ctx.actor, comment=N_("Fiche d'expérience publiée."))


@provides.effect("index_sheet", _l("la fiche entre dans le catalogue public"))
def index_sheet(ctx):
    db.session.flush()
    search_index.index_sheet(ctx.row)


@provides.effect("unindex_sheet", _l("la fiche sort du catalogue public"))
def unindex_sheet(ctx):
    db.session.flush()
    search_index.unindex_sheet(ctx.row)
