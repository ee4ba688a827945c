"""Assigning committee members to applications, one by one or in bulk, and their queues."""
import hashlib
from collections import Counter

from flask_babel import gettext as _
from sqlmodel import select

from fsi.accounts.models import Role, User
from fsi.accounts.people import people
from fsi.applications.models import Application
from fsi.db import db
from fsi.i18n import pick
from fsi.review import automation
from fsi.review.conflicts import conflicts_by_application
from fsi.review.errors import ReviewError
from fsi.review.models import Assignment, Review, ReviewScore
from fsi.review.models.scoring import CONFLICT_SOURCE_LABELS, COUNTED_REVIEW, SET_ASIDE_REVIEW
from fsi.workflow import tagged

#: applications that may receive reviewers
ASSIGNABLE = tagged("application", "assignable")


def committee_members():
    return db.session.exec(select(User).where(User.role == Role.reviewer, User.active.is_(True))
                           .order_by(User.full_name, User.id)).all()


def reviewer_candidates(application, conflicts, assignments):
    """Every committee member as the assignment picker shows them: who is conflicted (and why),
    already assigned or deactivated cannot be picked."""
    taken = {a.reviewer_id for a in assignments}
    members = db.session.exec(select(User).where(User.role == Role.reviewer).order_by(User.full_name, User.id)).all()
    why = {user_id: _("conflit d'intérêts : %(source)s", source=pick(CONFLICT_SOURCE_LABELS[source]))
           for user_id, (source, _reason) in conflicts.items()}
    why.update({user_id: _("déjà désigné") for user_id in taken})
    return people(members, why)


def assign_many(application, reviewer_ids, deadline, actor):
    """Assign each of ``reviewer_ids`` (all or none: the first refusal cancels the others); the
    call's automation may then start the review."""
    conflicts = conflicts_by_application([application])[application.id]
    reviewers = db.session.exec(select(User).where(User.id.in_(list(reviewer_ids)))).all()
    created = [assign(application, reviewer, deadline, actor, conflicts=conflicts) for reviewer in reviewers]
    automation.after_assignment(application)
    return created


def user_names(ids):
    """{user id: full name} in one statement."""
    if not ids:
        return {}
    return dict(db.session.exec(select(User.id, User.full_name).where(User.id.in_(list(ids)))).all())


def assignments_of(application_ids):
    """{application id: [Assignment]}"""
    result = {app_id: [] for app_id in application_ids}
    if application_ids:
        for assignment in db.session.exec(select(Assignment).where(Assignment.application_id.in_(application_ids))
                                          .order_by(Assignment.id)):
            result[assignment.application_id].append(assignment)
    return result


def assign(application, reviewer, deadline, actor, conflicts=None):
    if reviewer.role != Role.reviewer or not reviewer.active:
        raise ReviewError(_("Seul un membre du comité actif peut être désigné évaluateur."))
    if application.state not in ASSIGNABLE:
        raise ReviewError(_("Des évaluateurs ne peuvent être désignés qu'une fois le dossier déclaré recevable."))
    conflicts = conflicts if conflicts is not None else conflicts_by_application([application])[application.id]
    if reviewer.id in conflicts:
        raise ReviewError(_("%(name)s est en conflit d'intérêts sur ce dossier : il ne peut pas l'évaluer.",
                                name=reviewer.full_name))
    existing = db.session.exec(select(Assignment).where(
        Assignment.application_id == application.id, Assignment.reviewer_id == reviewer.id)).first()
    if existing is not None:
        raise ReviewError(_("%(name)s évalue déjà ce dossier.", name=reviewer.full_name))
    assignment = Assignment(application_id=application.id, reviewer_id=reviewer.id, deadline=deadline,
                            assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def review_status(applications):
    """{application id: (assignments that count, of which submitted)}, in a few queries. A
    submitted review counts (a decided application's stay as they were); a set-aside one does not,
    nor the assignment of a conflicted member who submitted nothing."""
    applications = list(applications)
    ids = [a.id for a in applications]
    assignments = assignments_of(ids)
    conflicts = conflicts_by_application(applications)
    every = [a.id for rows in assignments.values() for a in rows]
    states = {}
    if every:
        states = dict(db.session.exec(select(Review.assignment_id, Review.state).where(
            Review.assignment_id.in_(every))).all())
    result = {}
    for app_id, rows in assignments.items():
        submitted = [a for a in rows if states.get(a.id) in COUNTED_REVIEW]
        waiting = [a for a in rows if a.reviewer_id not in conflicts[app_id]
                   and states.get(a.id) not in COUNTED_REVIEW and states.get(a.id) not in SET_ASIDE_REVIEW]
        result[app_id] = (len(submitted) + len(waiting), len(submitted))
    return result


def call_load(call_id):
    """Counter of assignments per reviewer in the call."""
    rows = db.session.exec(select(Assignment.reviewer_id).join(Application, Application.id == Assignment.application_id)
                           .where(Application.call_id == call_id))
    return Counter(rows)


def bulk_assign(call, per_application, deadline, actor):
    """Give each assignable application of the call up to ``per_application`` non-conflicted
    reviewers, always picking the least loaded in the call (ties: lowest user id, so the result
    is reproducible). Returns the new assignments."""
    if per_application < 1:
        raise ReviewError(_("Indiquez au moins un évaluateur par dossier."))
    applications = db.session.exec(select(Application).where(
        Application.call_id == call.id, Application.state.in_(ASSIGNABLE)).order_by(Application.id)).all()
    members = committee_members()
    conflicts = conflicts_by_application(applications)
    current = assignments_of([a.id for a in applications])
    load = call_load(call.id)
    created = []
    for application in applications:
        taken = {a.reviewer_id for a in current[application.id]}
        valid = len([r for r in taken if r not in conflicts[application.id]])
        candidates = [m for m in members if m.id not in taken and m.id not in conflicts[application.id]]
        candidates.sort(key=lambda m: (load[m.id], m.id))
        for member in candidates[:max(per_application - valid, 0)]:
            created.append(assign(application, member, deadline, actor, conflicts=conflicts[application.id]))
            load[member.id] += 1
    for application in applications:
        automation.after_assignment(application)
    return created


def queue_key(reviewer_id, call_id, application_id):
    """A per-reviewer random but stable order (seed: reviewer and call), against order bias."""
    return hashlib.sha256(f"{reviewer_id}:{call_id}:{application_id}".encode()).hexdigest()


def reviewer_queue(reviewer):
    """[(assignment, application, review or None, scored criteria count)] in the reviewer's own
    shuffled order; conflicted applications are left out."""
    rows = db.session.exec(
        select(Assignment, Application, Review)
        .join(Application, Application.id == Assignment.application_id)
        .join(Review, Review.assignment_id == Assignment.id, isouter=True)
        .where(Assignment.reviewer_id == reviewer.id)).all()
    conflicts = conflicts_by_application([application for _a, application, _r in rows])
    review_ids = [review.id for _a, _app, review in rows if review is not None]
    scored = Counter()
    if review_ids:
        scored = Counter(db.session.exec(select(ReviewScore.review_id).where(
            ReviewScore.review_id.in_(review_ids), ReviewScore.score.is_not(None))))
    queue = [(assignment, application, review, scored[review.id] if review else 0)
             for assignment, application, review in rows if reviewer.id not in conflicts[application.id]]
    queue.sort(key=lambda row: queue_key(reviewer.id, row[1].call_id, row[1].id))
    return queue
