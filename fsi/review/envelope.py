"""A call's envelope: what earlier decisions granted, what a session grants, what remains."""
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import func, select

from fsi.applications.models import Application
from fsi.db import db
from fsi.review.models import AgendaItem, Outcome
from fsi.workflow import tagged

#: states in which an approved amount counts against the envelope (abandoned ones give it back)
AWARDED = tagged("application", "awarded")


def awarded_total(call_id, except_session_id=None):
    """What the call's granted applications hold, all sessions together, or but one."""
    query = select(func.sum(Application.approved_amount)).where(
        Application.call_id == call_id, Application.state.in_(AWARDED))
    if except_session_id is not None:
        query = query.where(Application.id.not_in(select(AgendaItem.application_id).where(
            AgendaItem.session_id == except_session_id, AgendaItem.outcome == Outcome.approved)))
    return Decimal(db.session.exec(query).one() or 0)


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
