"""A call's envelope: what earlier decisions granted, what a session grants, what remains."""
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import select

from fsi.applications.calculator import committed_amounts
from fsi.applications.models import Application
from fsi.db import db
from fsi.review.models import AgendaItem, Outcome


def awarded_total(call_id, except_session_id=None):
    """What the call's grants still commit, all sessions together, or but one: an abandoned or
    reduced grant gives back what it no longer commits (``committed_amounts``)."""
    query = select(Application).where(Application.call_id == call_id, Application.approved_amount.is_not(None))
    if except_session_id is not None:
        query = query.where(Application.id.not_in(select(AgendaItem.application_id).where(
            AgendaItem.session_id == except_session_id, AgendaItem.outcome == Outcome.approved)))
    return sum(committed_amounts(db.session.exec(query).all()).values(), Decimal("0.00"))


@dataclass(frozen=True)
class Envelope:
    """The figures a chair reads: they add up (envelope = granted before + this session + remaining)."""

    envelope: Decimal
    #: granted by other sessions (and still granted: an abandoned project gives its amount back)
    granted_before: Decimal
    #: granted in the session shown
    proposed: Decimal

    @property
    def remaining(self):
        return self.envelope - self.granted_before - self.proposed


def envelope_of(call, session):
    """The call's envelope as ``session`` sees it: what the others granted, what it grants."""
    granted_here = awarded_total(call.id) - awarded_total(call.id, except_session_id=session.id)
    return Envelope(Decimal(call.envelope), awarded_total(call.id, except_session_id=session.id), granted_here)
