"""What the applications domain lends the workflow engine: the application as a subject (who
owns it, who is mailed, who may see it, which circuit it follows), the guards of its submission
and of its start, and its effects."""
import json

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam
from sqlmodel import select

from fsi.accounts.models import Role, User
from fsi.applications.access import can_view_application
from fsi.applications.completeness import problems
from fsi.applications.models import Application
from fsi.applications.signals import recipients as recipients_hook
from fsi.applications.versions import freeze_version, snapshot, versions_of
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.formatting import money
from fsi.hooks import collect
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import today
from fsi.mail.render import queue_template_mail
from fsi.workflow import Provides
from fsi.workflow.registry import Reason, Remedy

provides = Provides("applications")


def _active_users(*conditions):
    return select(User).where(User.active.is_(True), *conditions).order_by(User.email)


#: built once: every notification of an application runs one
_APPLICANT_USERS = _active_users(User.organisation_id == bindparam("organisation_id"), User.role == Role.applicant)
_STAFF_USERS = _active_users(User.role == Role.staff)


def recipients(application, audience):
    """The users an audience of the definitions names; audiences of higher domains (e.g.
    "reviewers") come from their hook."""
    if audience == "applicant":
        return list(db.session.scalars(_APPLICANT_USERS, {"organisation_id": application.organisation_id}))
    if audience == "staff":
        return list(db.session.scalars(_STAFF_USERS))
    return collect(recipients_hook, application, audience=audience)


provides.subject("application", Application, owner_organisation=lambda application: application.organisation_id,
                 recipients=recipients, describe=lambda application: application.reference,
                 can_view=can_view_application, circuit="circuit")


def preload_calls(rows, cache):
    cache["applications.calls"] = {call.id: call for call in db.session.exec(
        select(Call).where(Call.id.in_({row.call_id for row in rows})))}


@provides.guard("call_open", _l("l'appel à projets est ouvert"), preload=preload_calls)
def call_open(ctx):
    call = _call(ctx)
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


@provides.guard("content_changed", _l("le dossier a changé depuis la version ajournée"))
def content_changed(ctx):
    """A deferred file comes back revised: the same answers as the last frozen version are refused."""
    versions = versions_of(ctx.row.id)
    if versions and json.loads(json.dumps(snapshot(ctx.row))) == versions[-1].snapshot:
        return Reason(_("Le dossier n'a pas changé depuis qu'il a été ajourné : apportez les compléments demandés."),
                      Remedy(_l("Compléter le dossier"), "applications.show", {"application_id": ctx.row.id}))
    return None


@provides.guard("completion_deadline_passed", _l("le délai fixé pour compléter le dossier est dépassé"))
def completion_deadline_passed(ctx):
    deadline = ctx.row.completion_deadline
    if deadline is None or today() <= deadline:
        return _("Le délai pour compléter le dossier n'est pas dépassé.")
    return None


def _call(ctx):
    return ctx.cache.get("applications.calls", {}).get(ctx.row.call_id) or db.session.get(Call, ctx.row.call_id)


@provides.guard("agreement_required", _l("la subvention dépasse le seuil de la convention"), preload=preload_calls)
def agreement_required(ctx):
    threshold = _call(ctx).agreement_threshold
    if (ctx.row.approved_amount or 0) <= threshold:
        return _("Pas de convention pour une subvention de %(amount)s (seuil : %(threshold)s) : le projet démarre "
                 "avec la lettre de décision.", amount=money(ctx.row.approved_amount), threshold=money(threshold))
    return None


@provides.guard("agreement_not_required", _l("la subvention ne dépasse pas le seuil de la convention"),
                 preload=preload_calls)
def agreement_not_required(ctx):
    threshold = _call(ctx).agreement_threshold
    if (ctx.row.approved_amount or 0) > threshold:
        return _("Une convention est requise au-delà de %(threshold)s.", threshold=money(threshold))
    return None


@provides.effect("acknowledge_receipt", _l("envoie au porteur un accusé de réception daté"))
def acknowledge_receipt(ctx):
    """The first submission is the file's date of receipt: the project may not start before it.
    Every submission is acknowledged to the applicant's users, each in their language."""
    application = ctx.row
    received_now = utcnow()
    if application.received_at is None:
        application.received_at = received_now
    db.session.add(application)
    call = db.session.get(Call, application.call_id)
    for user in recipients(application, "applicant"):
        queue_template_mail(user, lambda _language: _("[FSI] %(reference)s : accusé de réception",
                                                     reference=application.reference),
                            "mail/applications/receipt.txt", application=application, call=call,
                            received_now=received_now, first_received=application.received_at)
    db.session.flush()


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
