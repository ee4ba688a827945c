"""What the transition tests share: the people around one application (``Cast``), the request's
body, a snapshot of what a refused request must leave as it was, and the error's shape."""
from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from fsi.accounts.models import Role, User
from fsi.applications.models import CoApplicant
from fsi.db import db
from fsi.mail.models import OutboxMessage
from fsi.review.models import Assignment
from fsi.workflow.models import WorkflowEvent
from tests.factories import create_application, create_call, create_organisation, create_user

ROLES = ("owner", "other", "co", "reviewer", "conflicted", "staff", "admin")


@dataclass
class Cast:
    """The people around one application (users, detached), and its id."""

    application_id: int
    owner: User
    other: User
    co: User
    reviewer: User
    conflicted: User
    staff: User
    admin: User


def make_cast(state="submitted"):
    """An application of ``owner``'s organisation in ``state``, co-carried by ``co``'s, assigned to
    ``reviewer`` and to ``conflicted`` (employed by the applicant organisation)."""
    owner_org, other_org, co_org = create_organisation(), create_organisation(), create_organisation()
    staff = create_user(Role.staff)
    people = dict(owner=create_user(Role.applicant, organisation=owner_org),
                  other=create_user(Role.applicant, organisation=other_org),
                  co=create_user(Role.applicant, organisation=co_org),
                  reviewer=create_user(Role.reviewer),
                  conflicted=create_user(Role.reviewer, organisation=owner_org),
                  staff=staff, admin=create_user(Role.admin))
    application = create_application(call=create_call(), organisation=owner_org, state=state)
    db.session.add(CoApplicant(application_id=application.id, organisation_id=co_org.id))
    for name in ("reviewer", "conflicted"):
        db.session.add(Assignment(application_id=application.id, reviewer_id=people[name].id,
                                  deadline=date(2030, 1, 1), assigned_by_id=staff.id))
    db.session.flush()
    return Cast(application.id, **people)


def body(trigger, version, comment=None, **data):
    payload = {"trigger": trigger, "expected_version": version}
    if comment is not None:
        payload["comment"] = comment
    if data:
        payload["data"] = data
    return payload


def snapshot(in_db, model, object_id, workflow):
    """(state, version, events, mails): what a refused request must leave as it was."""
    with in_db() as session:
        row = session.get(model, object_id)
        events = session.exec(select(WorkflowEvent).where(WorkflowEvent.workflow == workflow,
                                                          WorkflowEvent.object_id == object_id)).all()
        mails = session.exec(select(OutboxMessage)).all()
        return row.state, row.version, len(events), len(mails)


def error_of(response):
    payload = response.get_json()
    assert set(payload) == {"error"} and set(payload["error"]) == {"code", "message", "details"}
    return payload["error"]


