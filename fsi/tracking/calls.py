"""The calls the tracking pages offer to choose from: every call, kept until the data changes, and
the few a chooser lists (a fund of many years has hundreds of calls)."""
from sqlmodel import select

from fsi.cache import until_data_changes
from fsi.calls.models import Call
from fsi.db import db
from fsi.i18n import PARIS

#: the most calls a chooser lists
CALLS_LISTED = 60


@until_data_changes()
def calls_and_years():
    """Every call (id, title, opens_at; by opening, newest first) and the years they opened in:
    one statement, kept until the data changes."""
    calls = db.session.exec(select(Call.id, Call.title, Call.opens_at).order_by(Call.opens_at.desc(), Call.id)).all()
    years = sorted({call.opens_at.astimezone(PARIS).year for call in calls}, reverse=True)
    return tuple(calls), tuple(years)


def call_choices(calls, year=None, call_id=None):
    """The calls a chooser offers: those of ``year`` (every year: None), at most CALLS_LISTED of
    them, the most recent first, and the call chosen if older (each call's row of the dashboard
    links to it)."""
    offered = [call for call in calls if year is None or call.opens_at.astimezone(PARIS).year == year]
    offered = offered[:CALLS_LISTED]
    if call_id is not None and all(call.id != call_id for call in offered):
        offered += [call for call in calls if call.id == call_id]
    return offered
