"""A funded project's own life: it opens when its application is awarded, starts with its
agreement (or without one below the call's threshold), may be amended, extended (+12 months, at
most the call's number of extensions) and recorded as lapsed (« caducité ») by staff.

Operations flush in the caller's transaction, never commit. Payments are fsi.funding.payments'
and reports fsi.funding.reports': starting a project asks them to build the schedule and the
reports, an extension moves the final report's due date."""
import calendar
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, or_
from sqlmodel import select

from fsi.applications.attachments import add_attachment
from fsi.applications.models import Application, CoApplicant
from fsi.calls.models import Call
from fsi.db import bump_version, db
from fsi.errors import Refused
from fsi.funding.models import Amendment, Extension, Project
from fsi.i18n import today
from fsi.limits import COMMENT_MAX, text_error
from fsi.workflow import tagged

AGREEMENT_LABEL = "Convention signée"
AMENDMENT_LABEL = "Avenant"
#: an extension adds this many months to the end date
EXTENSION_MONTHS = 12
#: applications whose project is still under way (money may still move)
AWARDED = tagged("application", "awarded")


class FundingError(Refused):
    """An operation of the funding domain refused, with the reason in French for the user."""


def add_months(day, months):
    """``day`` plus ``months`` calendar months (31 January + 1 month is the last day of February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def project_of(application):
    return db.session.exec(select(Project).where(Project.application_id == application.id)).first()


def call_of(project):
    return db.session.exec(select(Call).join(Application, Application.call_id == Call.id)
                           .where(Application.id == project.application_id)).one()


# --- Opening and starting ----------------------------------------------------------------------

def open_project(application):
    """The project of an awarded application (its approved amount), opened once; None when the
    application has no amount granted (nothing to fund)."""
    project = project_of(application)
    if project is not None or not application.approved_amount or application.approved_amount <= 0:
        return project
    call = db.session.get(Call, application.call_id)
    project = Project(application_id=application.id, granted_amount=application.approved_amount,
                      agreement_required=application.approved_amount > call.agreement_threshold)
    db.session.add(project)
    db.session.flush()
    return project


def check_dates(project, starts_on, ends_on):
    """A project runs at most the call's maximum duration, and ends after it starts."""
    if starts_on is None or ends_on is None:
        raise FundingError(_("Indiquez les dates de début et de fin du projet."), field="starts_on")
    if ends_on <= starts_on:
        raise FundingError(_("La fin du projet doit suivre son début."), field="ends_on")
    months = call_of(project).max_duration_months
    if ends_on > add_months(starts_on, months):
        raise FundingError(_("Le projet dure au plus %(months)d mois : il doit finir au plus tard le %(day)s.",
                             months=months, day=add_months(starts_on, months).strftime("%d/%m/%Y")),
                           field="ends_on")


def record_agreement(project, actor, signed_on, document, starts_on, ends_on):
    """What the signed agreement says, kept before ``sign_agreement`` is fired (the guard
    ``agreement_recorded`` waits for it)."""
    if signed_on is None or signed_on > today():
        raise FundingError(_("La date de signature ne peut pas être dans le futur."), field="signed_on")
    if document is None or not document.filename:
        raise FundingError(_("Joignez la convention signée."), field="document")
    check_dates(project, starts_on, ends_on)
    application = db.session.get(Application, project.application_id)
    attachment = add_attachment(application, actor, document, AGREEMENT_LABEL)
    project.agreement_signed_on, project.agreement_attachment_id = signed_on, attachment.id
    project.starts_on, project.ends_on = starts_on, ends_on
    db.session.add(project)
    db.session.flush()
    return project


def start(project, signed_on=None):
    """The project starts: its dates (the agreement's, else today in Paris for the call's maximum
    duration), then its reports and its payment schedule. Once only."""
    from fsi.funding import payments, reports  # the higher parts of this domain build on the project

    if project.starts_on is None or project.ends_on is None:
        project.starts_on = signed_on or today()
        project.ends_on = add_months(project.starts_on, call_of(project).max_duration_months)
    db.session.add(project)
    db.session.flush()
    reports.build_reports(project)
    payments.build_schedule(project)
    return project


# --- Amendments, extensions, lapse -----------------------------------------------------------

def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise FundingError(_("Indiquez le motif."), field="reason")
    if message := text_error(reason, COMMENT_MAX):
        raise FundingError(str(message), field="reason")
    return reason


def _started(project):
    if project.starts_on is None:
        raise FundingError(_("Le projet n'a pas encore démarré."))
    application = db.session.get(Application, project.application_id)
    if application.state not in AWARDED or project.lapsed_on is not None:
        raise FundingError(_("Le projet n'est plus en cours."))


def add_amendment(project, actor, signed_on, reason, document=None):
    _started(project)
    reason = _reason(reason)
    if signed_on is None or signed_on > today():
        raise FundingError(_("La date de signature ne peut pas être dans le futur."), field="signed_on")
    attachment_id = None
    if document is not None and document.filename:
        application = db.session.get(Application, project.application_id)
        attachment_id = add_attachment(application, actor, document, AMENDMENT_LABEL).id
    amendment = Amendment(project_id=project.id, signed_on=signed_on, reason=reason, attachment_id=attachment_id,
                          recorded_by_id=actor.id)
    db.session.add(amendment)
    db.session.flush()
    return amendment


def why_not_extendable(project):
    """Why the project's end date cannot move now (a French sentence), or None."""
    if project.starts_on is None or project.lapsed_on is not None:
        return _("Seul un projet en cours peut être prolongé.")
    if project.due_amount is not None:
        return _("Le bilan final est accepté : le projet n'est plus prolongé.")
    allowed = call_of(project).max_extensions
    if project.extensions_used >= allowed:
        return _("Ce projet a déjà eu toutes les prolongations que permet l'appel (%(num)d).", num=allowed)
    return None


def extend(project, actor, reason, expected_version=None):
    """+12 months on the end date, at most the call's number of extensions; the final report's
    due date follows."""
    from fsi.funding import reports

    _started(project)
    reason = _reason(reason)
    if blocked := why_not_extendable(project):
        raise FundingError(blocked)
    extension = Extension(project_id=project.id, months=EXTENSION_MONTHS, previous_end=project.ends_on,
                          new_end=add_months(project.ends_on, EXTENSION_MONTHS), reason=reason,
                          granted_by_id=actor.id)
    bump_version(project, project.version if expected_version is None else expected_version,
                 ends_on=extension.new_end, extensions_used=project.extensions_used + 1)
    db.session.add(extension)
    db.session.flush()
    reports.move_final_due(project)
    return extension


def record_lapse(project, actor, reason, expected_version=None):
    """« Caducité »: staff record that the project past its end date will not spend what is left."""
    reason = _reason(reason)
    if project.lapsed_on is not None:
        raise FundingError(_("La caducité de ce projet est déjà constatée."))
    if not is_overdue(project):
        raise FundingError(_("La caducité se constate après la fin du projet, quand il reste des fonds à verser."))
    bump_version(project, project.version if expected_version is None else expected_version,
                 lapsed_on=today(), lapsed_reason=reason)
    return project


def remaining(project):
    """What is still to pay: what is due (once known, else the grant) less what was paid."""
    due = project.due_amount if project.due_amount is not None else project.granted_amount
    return max(due - project.paid_total, 0)


def is_overdue(project, on=None):
    """Past its end date with money left to pay, and not recorded as lapsed: staff must act."""
    return (project.ends_on is not None and project.ends_on < (on or today()) and project.lapsed_on is None
            and remaining(project) > 0)


def amendments_of(project):
    return db.session.exec(select(Amendment).where(Amendment.project_id == project.id)
                           .order_by(Amendment.signed_on, Amendment.id)).all()


def extensions_of(project):
    return db.session.exec(select(Extension).where(Extension.project_id == project.id)
                           .order_by(Extension.granted_at, Extension.id)).all()


# --- Lists -----------------------------------------------------------------------------------

def projects_for(user, call_id=None, state=None):
    """[(project, application)] ``user`` may list, newest first (``projects_query``)."""
    return db.session.exec(projects_query(user, call_id, state)).all()


def projects_query(user, call_id=None, state=None):
    """The select of (project, application) ``user`` may list, newest first: every one for staff;
    for an applicant, their organisation's and the ones it carries with another. Filtered by call
    and by the application's state (the project's stage)."""
    query = (select(Project, Application).join(Application, Application.id == Project.application_id)
             .order_by(Project.opened_at.desc(), Project.id.desc()))
    if not user.is_staff:
        co_carried = select(CoApplicant.application_id).where(CoApplicant.organisation_id == user.organisation_id)
        query = query.where(or_(Application.organisation_id == user.organisation_id,
                                and_(Application.id.in_(co_carried), Application.received_at.is_not(None))))
    if call_id is not None:
        query = query.where(Application.call_id == call_id)
    if state:
        query = query.where(Application.state == state)
    return query


def project_states():
    """The application states projects are in, for the list's filter."""
    return db.session.exec(select(Application.state).distinct()
                           .join(Project, Project.application_id == Application.id)
                           .order_by(Application.state)).all()
