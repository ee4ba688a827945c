"""Effects of the review domain on the application workflow (run in the transition's transaction).

The committee's decisions are recorded on the agenda item here, whichever page fired them
(session mode or the generic workflow actions), so the minutes never miss one."""
from decimal import Decimal

from fsi.calls.models import Call
from fsi.db import bump_version, db, utcnow
from fsi.review.models import Outcome
from fsi.workflow.registry import effect

OUTCOMES = {"approve": Outcome.approved, "reject": Outcome.rejected, "defer": Outcome.deferred}


@effect("application", "approve")
def record_approved_amount(ctx):
    """Store the amount, and bump the call's version: two approvals on one call in concurrent
    transactions cannot both commit (the second gets StaleObject), so the envelope check made by
    the ``amount_allowed`` guard always saw every other approval."""
    amount = (ctx.data or {}).get("amount")
    if amount is None:
        raise ValueError("approve needs an amount")
    application = ctx.row
    call = db.session.get(Call, application.call_id)
    # the version the amount_allowed guard saw when it summed the awarded amounts
    bump_version(call, ctx.cache.get("review.call_version", call.version))
    application.approved_amount = Decimal(amount)
    if hasattr(application, "approved_at"):  # the 36-month ceiling counts from the decision
        application.approved_at = utcnow()
    db.session.add(application)
    db.session.flush()


@effect("application", "approve")
@effect("application", "reject")
@effect("application", "defer")
def record_decision_on_agenda(ctx):
    """The decision, the members counted for the quorum and the recusals, on the open item."""
    from fsi.review.sessions import counted_members, open_item_for, record_recusals

    found = open_item_for(ctx.row.id)
    if found is None:  # the quorum guard makes this unreachable; nothing to record
        return
    item, session = found
    outcome = OUTCOMES[ctx.trigger]
    counted = len(counted_members(session, ctx.row))
    with db.session.no_autoflush:  # the CHECKs want outcome and decision time written together
        item.outcome, item.motivation = outcome, (ctx.comment or "").strip()
        item.amount = Decimal(ctx.data["amount"]) if outcome == Outcome.approved else None
        item.members_counted = counted
        item.decided_at, item.decided_by_id = utcnow(), getattr(ctx.actor, "id", None)
    db.session.add(item)
    record_recusals(session, item, ctx.row)
    db.session.flush()


@effect("application", "resubmit")
def reopen_reviews(ctx):
    """A revised application goes back to review: its reviewers' reviews open again (their former
    scores as a starting point), so the review closes only once each has re-read and submitted."""
    from sqlmodel import select

    from fsi.review.models import Assignment, Review

    reviews = db.session.exec(select(Review).join(Assignment, Assignment.id == Review.assignment_id)
                              .where(Assignment.application_id == ctx.row.id, Review.submitted_at.is_not(None)))
    for review in reviews:
        review.submitted_at = None
        review.version += 1
        db.session.add(review)
    db.session.flush()
