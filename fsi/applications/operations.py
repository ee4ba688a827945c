"""Changes to applications' content: plain functions that flush, never commit.

Every save is a compare-and-swap on the application's version (fsi.db.bump_version): a save
made on a page loaded before someone else's save raises StaleObject and changes nothing.
State changes are not here: they go through fsi.workflow.service.fire.
"""
from flask_babel import gettext as _
from sqlmodel import delete, select

from fsi.applications.access import AWAITING_COMPLETION
from fsi.applications.calculator import maximum_grant
from fsi.applications.models import Application, CoApplicant, CoFunding, CostLine, Milestone
from fsi.applications.references import next_reference
from fsi.applications.sections import SECTIONS_BY_NAME
from fsi.db import bump_version, db, utcnow
from fsi.errors import Refused
from fsi.formatting import money
from fsi.i18n import N_, today
from fsi.limits import refuse_positive
from fsi.workflow.machine import allows_on
from fsi.workflow.registry import SYSTEM
from fsi.workflow.service import WorkflowRefused, fire

#: the applicant's ways of handing the file in: first submission, the completed one (returned
#: for completion), the revised one (deferred)
SUBMIT_TRIGGERS = ("submit", "complete", "resubmit")
#: FSI's comment on the files it closes (kept in French, shown in each reader's language)
LAPSED = N_("Le délai fixé pour compléter le dossier est dépassé.")


def create_draft(call, user):
    """A new draft for the user's organisation, the contact prefilled with the user; it follows
    its call's circuit for life."""
    application = Application(reference=next_reference(utcnow().year), call_id=call.id, circuit=call.circuit,
                              organisation_id=user.organisation_id, created_by_id=user.id,
                              contact_name=user.full_name, contact_email=user.email)
    db.session.add(application)
    db.session.flush()
    return application


def save_section(application, expected_version, section, values, *, co_applicants=None, cost_lines=None,
                 cofundings=None, milestones=None):
    """Write one section's columns (``values``) and its repeated rows, all or nothing."""
    columns = {k: v for k, v in values.items() if k in SECTIONS_BY_NAME[section].columns}
    refuse_positive("requested_amount", columns.get("requested_amount"))
    bump_version(application, expected_version, **columns)
    if co_applicants is not None:
        _replace(CoApplicant, application, [CoApplicant(application_id=application.id, organisation_id=o)
                                            for o in sorted(set(co_applicants)) if o != application.organisation_id])
    if cost_lines is not None:
        _replace(CostLine, application, [CostLine(application_id=application.id, position=i, **line)
                                         for i, line in enumerate(cost_lines)])
    if cofundings is not None:
        _replace(CoFunding, application, [CoFunding(application_id=application.id, position=i, **item)
                                          for i, item in enumerate(cofundings)])
    if milestones is not None:
        _replace(Milestone, application, [Milestone(application_id=application.id, position=i, **item)
                                          for i, item in enumerate(milestones)])
    db.session.flush()
    if section == "budget":
        _check_requested_amount(application)
    return application


def _check_requested_amount(application):
    """The requested amount may not exceed the calculator's maximum on the saved budget."""
    calculation = maximum_grant(application)
    requested = application.requested_amount
    if requested is not None and calculation.complete and requested > calculation.maximum:
        raise Refused(_("Le montant demandé dépasse la subvention maximale permise (%(max)s).",
                        max=money(calculation.maximum)), field="requested_amount")


def submit_trigger(application):
    """The trigger that hands the file in now: its first submission, or the revised one."""
    return next((t for t in SUBMIT_TRIGGERS if allows_on(application, t)), SUBMIT_TRIGGERS[0])


def submit(application, user, expected_version=None):
    """Hand the file in through the workflow (``submit_trigger``)."""
    return fire(application, submit_trigger(application), user, expected_version=expected_version)


#: FSI's comment when a grant below the agreement threshold starts with its letter
STARTED_ON_LETTER = N_("Subvention sous le seuil de la convention : le projet démarre avec la lettre de décision.")


def start_without_agreement_if_due(application):
    """A grant at or below the call's agreement threshold starts with its letter: FSI fires the
    step itself (as « Système »), when the circuit offers it and its guard passes."""
    if not allows_on(application, "start_without_agreement"):
        return None
    try:
        with db.session.begin_nested():
            return fire(application, "start_without_agreement", SYSTEM, comment=STARTED_ON_LETTER)
    except WorkflowRefused:
        return None


def set_completion_deadline(application, deadline, expected_version=None):
    """The day by which a returned or deferred file must come back (None: no deadline); past it,
    ``lapse_overdue`` closes the file without follow-up."""
    if application.state not in AWAITING_COMPLETION:
        raise Refused(_("Un délai ne se fixe que sur un dossier retourné ou ajourné."))
    if deadline is not None and deadline < today():
        raise Refused(_("Le délai ne peut pas être dans le passé."), field="deadline")
    bump_version(application, application.version if expected_version is None else expected_version,
                 completion_deadline=deadline)
    db.session.flush()


def lapse_overdue():
    """Close without follow-up every returned or deferred file past its deadline (as « Système »,
    through the workflow: the applicant is mailed). Returns the references closed."""
    overdue = db.session.exec(select(Application).where(Application.state.in_(AWAITING_COMPLETION),
                                                        Application.completion_deadline < today())
                              .order_by(Application.id)).all()
    closed = []
    for application in overdue:
        try:
            with db.session.begin_nested():
                fire(application, "lapse", SYSTEM, comment=LAPSED)
        except WorkflowRefused:
            continue
        closed.append(application.reference)
    return closed



def _replace(model, application, rows):
    db.session.exec(delete(model).where(model.application_id == application.id))
    db.session.add_all(rows)
