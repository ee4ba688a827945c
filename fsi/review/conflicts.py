"""Conflicts of interest: organisational ones computed from memberships, declared or recorded ones
stored. A conflicted person sees nothing of the application and leaves its quorum; their review is
set aside, never deleted."""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import delete, select

from fsi.accounts.models import Role, User
from fsi.applications.models import Application, CoApplicant
from fsi.db import db
from fsi.review.errors import ReviewError
from fsi.review.models import Assignment, ConflictOfInterest, ConflictSource, Review, ReviewScore
from fsi.workflow import tagged
from fsi.workflow.machine import allows_on
from fsi.workflow.service import fire

#: submitted and not yet decided: a member may still declare a conflict on it
UNDECIDED = tagged("application", "undecided")
#: a review never submitted: it has left no trace in the log, so it may be discarded
UNSENT = tagged("review", "unsent")


def co_applicant_organisations(application_ids):
    """{application id: set of co-applicant organisation ids} (joint projects)."""
    result = {app_id: set() for app_id in application_ids}
    if not application_ids:
        return result
    rows = db.session.exec(select(CoApplicant.application_id, CoApplicant.organisation_id)
                           .where(CoApplicant.application_id.in_(application_ids)))
    for application_id, organisation_id in rows:
        if organisation_id is not None:
            result[application_id].add(organisation_id)
    return result


def conflicts_by_application(applications):
    """{application id: {user id: (ConflictSource, reason)}} for the given applications, in four
    queries whatever their number."""
    applications = list(applications)
    ids = [a.id for a in applications]
    result = {app_id: {} for app_id in ids}
    if not ids:
        return result
    organisations = co_applicant_organisations(ids)
    for application in applications:
        organisations[application.id].add(application.organisation_id)
    every_org = set().union(*organisations.values())
    members = db.session.exec(select(User.id, User.organisation_id).where(
        User.organisation_id.in_(every_org), User.role != Role.applicant)).all()
    for application_id, orgs in organisations.items():
        for user_id, organisation_id in members:
            if organisation_id in orgs:
                result[application_id][user_id] = (ConflictSource.organisation, "")
    stored = db.session.exec(select(ConflictOfInterest).where(ConflictOfInterest.application_id.in_(ids)))
    for conflict in stored:
        result[conflict.application_id][conflict.user_id] = (conflict.source, conflict.reason)
    return result


def conflicted_user_ids(application):
    return set(conflicts_by_application([application])[application.id])


def is_conflicted(application, user):
    return user.id in conflicted_user_ids(application)


@dataclass
class ConflictRecorded:
    """What recording a conflict did: the conflict, the member's reviews set aside (kept, no longer
    counted), and whether the application was already decided (its reviews then stay as they counted)."""

    conflict: ConflictOfInterest
    set_aside: list
    decided: bool

    def message(self):
        if self.decided:
            return _("Conflit d'intérêts enregistré. Le dossier est déjà décidé : ses évaluations restent "
                     "telles qu'elles ont compté pour la décision.")
        if self.set_aside:
            return _("Conflit d'intérêts enregistré ; l'évaluation du membre est écartée : elle est conservée "
                     "mais ne compte plus.")
        return _("Conflit d'intérêts enregistré.")


def record_conflict(application, user, source, reason, recorded_by):
    """Store a declared (by the member) or recorded (by staff) conflict. Nothing is deleted: on an
    undecided application the member's review, draft or submitted, is set aside through the
    workflow (an event with the conflict's reason: who, when, why), kept and shown apart but no
    longer counted; a decided application's reviews never change. The assignment stays: a
    conflicted member sees nothing of the application and counts in no figure."""
    reason = (reason or "").strip()
    if source != ConflictSource.organisation and not reason:
        raise ReviewError(_("Indiquez la raison du conflit d'intérêts."))
    existing = db.session.exec(select(ConflictOfInterest).where(
        ConflictOfInterest.application_id == application.id, ConflictOfInterest.user_id == user.id)).first()
    if existing is None:
        existing = ConflictOfInterest(application_id=application.id, user_id=user.id, source=source,
                                      reason=reason, recorded_by_id=recorded_by.id)
        db.session.add(existing)
        db.session.flush()
    decided = application.state not in UNDECIDED
    set_aside = [] if decided else set_aside_reviews_of(application, user, existing.reason or reason, recorded_by)
    return ConflictRecorded(existing, set_aside, decided)


def set_aside_reviews_of(application, user, reason, actor):
    """Set the member's review of the application aside (``set_aside``), if it can still be."""
    reviews = db.session.exec(select(Review).join(Assignment, Assignment.id == Review.assignment_id).where(
        Assignment.application_id == application.id, Assignment.reviewer_id == user.id)).all()
    moved = []
    for review in reviews:
        if allows_on(review, "set_aside"):
            fire(review, "set_aside", actor, comment=reason or _("Conflit d'intérêts"))
            moved.append(review)
    return moved


def delete_assignment(assignment):
    """Staff take a member off an application: their draft goes with it; a review that reached the
    log (submitted, reopened or set aside) is part of the record and stays."""
    review = db.session.exec(select(Review).where(Review.assignment_id == assignment.id)).first()
    if review is not None and review.state not in UNSENT:
        raise ReviewError(_("L'évaluation de ce membre figure au journal du dossier : la désignation ne peut plus "
                            "être retirée. Enregistrez un conflit d'intérêts pour écarter l'évaluation."))
    if review is not None:
        db.session.exec(delete(ReviewScore).where(ReviewScore.review_id == review.id))
        db.session.delete(review)
        db.session.flush()
    db.session.delete(assignment)
    db.session.flush()


def applications_open_for_declaration(user):
    """What ``user`` may declare a conflict on: applications not yet decided, less those they are
    already conflicted on (a conflicted member sees nothing of them, not even the title)."""
    candidates = db.session.exec(select(Application).where(Application.state.in_(UNDECIDED))
                                 .order_by(Application.reference)).all()
    conflicts = conflicts_by_application(candidates)
    return [a for a in candidates if user.id not in conflicts[a.id]]
