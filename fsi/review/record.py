"""A review in the record: what the review domain lends the engine for workflows/review.yaml (the
subject, its guards and effects) and the record every review event carries: the scores in clear,
the recommendation and confidence, and a hash of the whole content (comments included). ``flask
fsi audit verify`` compares a submitted or set-aside review with its last event's record, so the
log proves the scores behind each decision."""
import hashlib

from flask_babel import gettext as _
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db, utcnow
from fsi.i18n import lazy_gettext as _l
from fsi.review import automation
from fsi.review.conflicts import UNDECIDED, is_conflicted
from fsi.review.models import Assignment, Review, ReviewScore
from fsi.review.scoring import criteria_of, is_complete
from fsi.workflow import Provides, tagged
from fsi.workflow.events import canonical_json

provides = Provides("review")
#: a sealed review changes only through an event (submitted, set aside)
SEALED = tagged("review", "sealed")


def application_of(review):
    return db.session.exec(select(Application).join(Assignment, Assignment.application_id == Application.id)
                           .where(Assignment.id == review.assignment_id)).one()


def reviewer_of(review):
    return db.session.exec(select(User).join(Assignment, Assignment.reviewer_id == User.id)
                           .where(Assignment.id == review.assignment_id)).one()


def review_record(review):
    """What an event proves of the review: scores (by criterion id), recommendation, confidence,
    and the sha256 of all that with every comment (comments stay out of the log, their hash in)."""
    rows = db.session.exec(select(ReviewScore).where(ReviewScore.review_id == review.id)
                           .order_by(ReviewScore.criterion_id)).all()
    recommendation = getattr(review.recommendation, "value", review.recommendation)
    content = {"scores": {str(r.criterion_id): r.score for r in rows},
               "comments": {str(r.criterion_id): r.comment for r in rows},
               "recommendation": recommendation, "confidence": review.confidence,
               "general_comment": review.general_comment}
    return {"scores": content["scores"], "recommendation": recommendation, "confidence": review.confidence,
            "content_hash": hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()}


def can_view_review(review, user):
    """Staff, and the member who wrote it (who submits it, or sets it aside on declaring a conflict)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or db.session.get(Assignment, review.assignment_id).reviewer_id == user.id


def describe(review):
    return _("%(reference)s, évaluation de %(name)s", reference=application_of(review).reference,
             name=reviewer_of(review).full_name)


provides.subject("review", Review, owner_organisation=lambda review: None, recipients=lambda review, audience: [],
                 describe=describe, can_view=can_view_review, record=review_record, sealed=SEALED)


@provides.guard("application_undecided", _l("le dossier n'est pas encore décidé"))
def application_undecided(ctx):
    if application_of(ctx.row).state not in UNDECIDED:
        return _("Le dossier est décidé : ses évaluations ne changent plus.")
    return None


@provides.guard("review_complete", _l("chaque critère est noté, avec la recommandation et la confiance"))
def review_complete(ctx):
    if not is_complete(ctx.row, criteria_of(application_of(ctx.row).call_id)):
        return _("Pour soumettre, notez chaque critère et indiquez votre recommandation et votre niveau de confiance.")
    return None


@provides.guard("conflict_recorded", _l("un conflit d'intérêts du membre est enregistré sur le dossier"))
def conflict_recorded(ctx):
    if not is_conflicted(application_of(ctx.row), reviewer_of(ctx.row)):
        return _("Une évaluation n'est écartée que pour un conflit d'intérêts enregistré sur le dossier.")
    return None


@provides.effect("after_review_submitted", _l("clôt la notation du dossier si l'appel le prévoit"))
def after_review_submitted(ctx):
    automation.after_review_submitted(application_of(ctx.row))


@provides.effect("record_set_aside", _l("note qui a écarté l'évaluation, quand et pourquoi"))
def record_set_aside(ctx):
    review = ctx.row
    review.set_aside_by_id, review.set_aside_at = getattr(ctx.actor, "id", None), utcnow()
    review.set_aside_reason = ctx.comment or ""
    db.session.add(review)
    db.session.flush()
