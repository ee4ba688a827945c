"""What the dashboard and the panorama share: the scope read from the URL, the state labels,
the calls and years to choose from."""
from flask import request
from sqlmodel import select

from fsi.cache import until_data_changes
from fsi.calls.models import Call
from fsi.db import db
from fsi.i18n import PARIS
from fsi.limits import bounded_int
from fsi.tracking.figures import Scope
from fsi.workflow.definitions import circuits

#: the most calls a chooser lists
CALLS_LISTED = 60
#: the years a call may open in (fsi.limits: dates between 2000 and 2100)
YEARS = range(2000, 2101)


def scope_from_args(**more):
    """``?call=&year=`` (anything else: everything)."""
    year = bounded_int(request.args.get("year"))
    return Scope(call_id=bounded_int(request.args.get("call")), year=year if year in YEARS else None, **more)


@until_data_changes()
def calls_and_years():
    """Every call (id, title, opens_at; by opening, newest first) and the years they opened in:
    one statement, kept until the data changes."""
    calls = db.session.exec(select(Call.id, Call.title, Call.opens_at).order_by(Call.opens_at.desc(), Call.id)).all()
    years = sorted({call.opens_at.astimezone(PARIS).year for call in calls}, reverse=True)
    return tuple(calls), tuple(years)


def call_choices(calls, scope):
    """The calls a chooser offers: those of the year chosen, at most CALLS_LISTED of them, the most
    recent first, and the call chosen if older (a fund of many years has hundreds of calls; each
    call's row of the dashboard links to it)."""
    offered = [call for call in calls if scope.year is None or call.opens_at.astimezone(PARIS).year == scope.year]
    offered = offered[:CALLS_LISTED]
    if scope.call_id is not None and all(call.id != scope.call_id for call in offered):
        offered += [call for call in calls if call.id == scope.call_id]
    return offered


def state_labels():
    """{state: {"fr", "en"}} over both circuits, the regional circuit's wording first, in the
    definitions' order."""
    labels = {}
    for workflow in circuits("application"):
        for name in workflow.states:
            labels.setdefault(name, workflow.state_label(name))
    return labels


def ordered_states(by_state, labels):
    """[(label, count)] in the definitions' order, then states the definitions no longer have."""
    known = [(labels[name], by_state[name]) for name in labels if name in by_state]
    return known + [({"fr": name, "en": name}, count) for name, count in sorted(by_state.items())
                    if name not in labels]
