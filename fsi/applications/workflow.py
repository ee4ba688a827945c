"""What the applications domain lends the workflow engine: the application as a subject (who
owns it, who is mailed, who may see it), the guards of its submission and its effects."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlmodel import select

from fsi.accounts.models import Role, User
from fsi.applications.access import can_view_application
from fsi.applications.completeness import problems
from fsi.applications.models import Application
from fsi.applications.signals import recipients as recipients_hook
from fsi.applications.versions import freeze_version
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.hooks import collect
from fsi.workflow import Provides
from fsi.workflow.registry import Reason, Remedy

provides = Provides("applications")


def _users(*conditions):
    return list(db.session.exec(select(User).where(User.active.is_(True), *conditions).order_by(User.email)))


def recipients(application, audience):
    """The users an audience of the definitions names; audiences of higher domains (e.g.
    "reviewers") come from their hook."""
    if audience == "applicant":
        return _users(User.organisation_id == application.organisation_id, User.role == Role.applicant)
    if audience == "staff":
        return _users(User.role == Role.staff)
    return collect(recipients_hook, application, audience=audience)


provides.subject("application", Application, owner_organisation=lambda application: application.organisation_id,
                 recipients=recipients, describe=lambda application: application.reference,
                 can_view=can_view_application)


def preload_calls(rows, cache):
    cache["applications.calls"] = {call.id: call for call in db.session.exec(
        select(Call).where(Call.id.in_({row.call_id for row in rows})))}


@provides.guard("call_open", _l("l'appel à projets est ouvert"), preload=preload_calls)
def call_open(ctx):
    call = ctx.cache.get("applications.calls", {}).get(ctx.row.call_id) or db.session.get(Call, ctx.row.call_id)
    if call is None or not call.is_open():
        return _("L'appel à projets est clos : le dossier ne peut plus être déposé.")
    return None


@provides.guard("application_complete", _l("le dossier est complet"))
def application_complete(ctx):
    found = problems(ctx.row)
    if found:
        return Reason(ngettext("Le dossier est incomplet : %(num)d point reste à compléter.",
                               "Le dossier est incomplet : %(num)d points restent à compléter.", len(found)),
                      Remedy(_l("Compléter le dossier"), "applications.section",
                             {"application_id": ctx.row.id, "name": found[0].section, "_anchor": found[0].field_id}))
    return None


@provides.effect("freeze_submitted_version", _l("fige la version déposée"))
def freeze_submitted_version(ctx):
    """Each submission keeps the answers and the attachments list as a numbered version."""
    freeze_version(ctx.row, ctx.actor, ctx.trigger)
    ctx.row.submitted_at = utcnow()
    db.session.flush()


@provides.effect("record_grant", _l("enregistre le montant accordé et sa date"))
def record_grant(ctx):
    """The amount granted, and when: the organisation's rolling ceiling counts from the decision."""
    ctx.row.approved_amount = ctx.data["amount"]
    ctx.row.approved_at = utcnow()
    db.session.add(ctx.row)
    db.session.flush()
