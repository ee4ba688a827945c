"""Effects of the review domain on the application workflow (run in the transition's transaction)."""
from decimal import Decimal

from fsi.calls.models import Call
from fsi.db import bump_version, db, utcnow
from fsi.workflow.registry import effect


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
