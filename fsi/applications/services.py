"""Read-only queries on applications that other pages share (lists, home pages, assessment)."""
from sqlmodel import func, select

from fsi.accounts.models import Organisation
from fsi.applications.models import Application, CoApplicant
from fsi.calls.models import Call
from fsi.db import db
from fsi.workflow.definitions import state_names


def organisation_applications(organisation_id):
    """[(Application, call title)] of one organisation, newest first, in one statement."""
    return db.session.exec(
        select(Application, Call.title).join(Call, Call.id == Application.call_id)
        .where(Application.organisation_id == organisation_id)
        .order_by(Application.created_at.desc(), Application.id.desc())).all()


def co_applicants_of(application):
    """The organisations carrying the project with the applicant, by name."""
    return db.session.exec(select(Organisation).join(CoApplicant, CoApplicant.organisation_id == Organisation.id)
                           .where(CoApplicant.application_id == application.id).order_by(Organisation.name)).all()


def co_applied_applications(organisation_id):
    """[(Application, call title, applicant's name)] the organisation carries with another one
    (submitted ones: a draft stays with its applicant), newest first."""
    return db.session.exec(
        select(Application, Call.title, Organisation.name).join(Call, Call.id == Application.call_id)
        .join(Organisation, Organisation.id == Application.organisation_id)
        .join(CoApplicant, CoApplicant.application_id == Application.id)
        .where(CoApplicant.organisation_id == organisation_id, Application.received_at.is_not(None))
        .order_by(Application.created_at.desc(), Application.id.desc())).all()


def call_has_applications(call):
    """Whether any application was started on the call (calls' ``call_in_use``)."""
    return db.session.exec(select(Application.id).where(Application.call_id == call.id)).first() is not None


def call_applications(call_id, states=()):
    """[(Application, organisation name)] of a call (in ``states`` when given), by reference, in
    one statement."""
    query = (select(Application, Organisation.name).join(Organisation, Organisation.id == Application.organisation_id)
             .where(Application.call_id == call_id).order_by(Application.reference))
    if states:
        query = query.where(Application.state.in_(list(states)))
    return db.session.exec(query).all()


def counts_by_call_and_state(states=None):
    """{call id: {state: count}} in one statement, each call's states in the order of the
    workflow definition (so pages show them in the order an application goes through them)."""
    query = select(Application.call_id, Application.state, func.count()).group_by(Application.call_id,
                                                                                 Application.state)
    if states is not None:
        query = query.where(Application.state.in_(list(states)))
    order = {name: position for position, name in enumerate(state_names("application"))}
    counts = {}
    for call_id, state, count in sorted(db.session.exec(query), key=lambda row: order.get(row[1], len(order))):
        counts.setdefault(call_id, {})[state] = count
    return counts
