"""Workflow actions through the API, and an application's reviews.

``POST /applications|payments|reports/{id}/transitions`` share one helper, ``fire_on``: the row
visible to the token's user or 404 (the subject's ``can_view``, as /workflow/... in the browser),
the action's role and organisation or 403, then the one workflow service with the version the
client read: stale → 409, a guard or the data refusing → 422 with every reason. Nothing is
written unless the action happens (the request boundary rolls back on any error)."""
from flask_login import current_user

from fsi.api.auth import token_required
from fsi.api.blueprint import bp
from fsi.api.errors import api_abort
from fsi.api.schemas.actions import (
    ReviewOut,
    ReviewsOut,
    ScoreOut,
    SetAsideReviewOut,
    TransitionIn,
    TransitionOut,
    event_out,
    label,
    reason_text,
)
from fsi.api.spec import api, responses
from fsi.applications.access import can_view_application
from fsi.applications.models import Application
from fsi.db import StaleObject, db
from fsi.funding.models import Report, Tranche
from fsi.review.access import can_read_others_reviews, can_see_reviews
from fsi.review.assignments import user_names
from fsi.review.conflicts import is_conflicted
from fsi.review.scoring import criteria_of, set_aside_reviews, submitted_reviews
from fsi.web import STALE_MESSAGE
from fsi.workflow.registry import subject_for_row
from fsi.workflow.service import WorkflowRefused, fire, permission_reasons

TRANSITION_RESPONSES = responses(TransitionOut, 401, 403, 404, 409, 422)
NAMES = {Application: "application", Tranche: "payment", Report: "report"}


def not_found(what):
    api_abort(404, "not_found", f"No such {what}, or not visible to you.")


def fire_on(model, object_id, body):
    """Fire ``body.trigger`` on the ``model`` row ``object_id`` as the token's user."""
    if body is None:  # a form body: spectree validates JSON bodies only
        api_abort(422, "invalid", "Send the transition as JSON (Content-Type: application/json).",
                  ["body: a JSON object is expected"])
    row = db.session.get(model, object_id)
    subject = subject_for_row(row) if row is not None else None
    if row is None or not subject.visible_to(row, current_user):
        not_found(NAMES[model])
    transition = subject.definition(row).transition(body.trigger)
    if transition is not None and (reasons := permission_reasons(row, transition, current_user, subject)):
        api_abort(403, "forbidden", " ".join(reasons), reasons)
    try:
        event = fire(row, body.trigger, current_user, comment=body.comment, data=body.data.given(),
                     expected_version=body.expected_version)
    except StaleObject:
        api_abort(409, "stale", str(STALE_MESSAGE), [str(STALE_MESSAGE)])
    except WorkflowRefused as error:
        api_abort(422, "refused", " ".join(str(reason) for reason in error.reasons),
                  [reason_text(reason) for reason in error.reasons])
    return TransitionOut(workflow=subject.workflow, id=row.id, state=row.state,
                         state_label=label(subject.definition(row).state_label(row.state)), version=row.version,
                         event=event_out(event))


@bp.post("/applications/<int:application_id>/transitions")
@token_required
@api.validate(json=TransitionIn, resp=TRANSITION_RESPONSES, tags=["actions"])
def application_transition(application_id, json: TransitionIn):
    """Fire an action on an application

    `GET /applications/{id}` lists the actions the user may take now and what each needs (a comment,
    data). 409 when `expected_version` is not the application's version any more; 422 with every
    reason when a condition of the action is not met.
    """
    return fire_on(Application, application_id, json)


@bp.post("/payments/<int:tranche_id>/transitions")
@token_required
@api.validate(json=TransitionIn, resp=TRANSITION_RESPONSES, tags=["actions"])
def payment_transition(tranche_id, json: TransitionIn):
    """Fire an action on a payment tranche

    `GET /projects/{id}` lists each tranche's actions for the user. 409 when `expected_version` is
    stale; 422 with every reason when a condition is not met.
    """
    return fire_on(Tranche, tranche_id, json)


@bp.post("/reports/<int:report_id>/transitions")
@token_required
@api.validate(json=TransitionIn, resp=TRANSITION_RESPONSES, tags=["actions"])
def report_transition(report_id, json: TransitionIn):
    """Fire an action on a report of a project

    `GET /projects/{id}` lists each report's actions for the user. 409 when `expected_version` is
    stale; 422 with every reason when a condition is not met (an incomplete report...).
    """
    return fire_on(Report, report_id, json)


# --- Reviews ---------------------------------------------------------------------------------

def scores_out(criteria, scores, with_comments=True):
    out = []
    for criterion in criteria:
        row = scores.get(criterion.id)
        comment = (row.comment if row is not None else "") if with_comments else None
        out.append(ScoreOut(criterion_id=criterion.id, criterion=criterion.label,
                            score=row.score if row is not None else None, scale_min=criterion.scale_min,
                            scale_max=criterion.scale_max, comment=comment))
    return out


@bp.get("/applications/<int:application_id>/reviews")
@token_required
@api.validate(resp=responses(ReviewsOut, 401, 403, 404), tags=["reviews"])
def application_reviews(application_id):
    """The reviews of an application

    Staff and the committee members assigned to it read its submitted reviews, a member once their
    own is submitted (`hidden` until then). Reviews set aside (a conflict of interest) are listed
    apart, without their comments. A conflicted person gets 404; the applicant 403.
    """
    application = db.session.get(Application, application_id)
    if application is None or not can_view_application(application, current_user):
        not_found("application")
    if not can_see_reviews(application, current_user):
        if is_conflicted(application, current_user):
            not_found("application")
        api_abort(403, "forbidden", "Only staff and the committee members assigned to the application read its "
                                    "reviews.")
    readable = can_read_others_reviews(application, current_user)
    rows = submitted_reviews([application.id])[application.id] if readable else []
    set_aside = set_aside_reviews([application.id])[application.id] if readable else []
    names = user_names(({reviewer for reviewer, _r, _s in rows + set_aside}
                        | {review.set_aside_by_id for _i, review, _s in set_aside}) - {None})
    criteria = criteria_of(application.call_id)
    return ReviewsOut(
        application_id=application.id, hidden=not readable,
        reviews=[ReviewOut(id=review.id, reviewer_id=reviewer, reviewer=names.get(reviewer, ""), state=review.state,
                           recommendation=getattr(review.recommendation, "value", review.recommendation),
                           confidence=review.confidence, general_comment=review.general_comment,
                           submitted_at=review.submitted_at, version=review.version,
                           scores=scores_out(criteria, scores))
                 for reviewer, review, scores in rows],
        set_aside=[SetAsideReviewOut(id=review.id, reviewer_id=reviewer, reviewer=names.get(reviewer, ""),
                                     state=review.state, set_aside_at=review.set_aside_at,
                                     set_aside_by=names.get(review.set_aside_by_id),
                                     set_aside_reason=review.set_aside_reason,
                                     scores=scores_out(criteria, scores, with_comments=False))
                   for reviewer, review, scores in set_aside])
