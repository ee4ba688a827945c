"""A call's envelope: what is awarded, what a session proposes, what remains."""
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import func, select

from fsi.applications.models import Application
from fsi.db import db
from fsi.workflow import tagged

#: states in which an approved amount counts against the envelope (abandoned ones give it back)
AWARDED = tagged("application", "awarded")


def awarded_total(call_id):
    total = db.session.exec(select(func.sum(Application.approved_amount)).where(
        Application.call_id == call_id, Application.state.in_(AWARDED))).one()
    return Decimal(total or 0)


@dataclass(frozen=True)
class Envelope:
    envelope: Decimal
    awarded: Decimal
    proposed: Decimal  # approved in the session shown (already counted in ``awarded``)

    @property
    def remaining(self):
        return self.envelope - self.awarded


def envelope_of(call, proposed=Decimal(0)):
    return Envelope(Decimal(call.envelope), awarded_total(call.id), Decimal(proposed))
