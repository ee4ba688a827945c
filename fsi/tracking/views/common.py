"""What the dashboard and the panorama share: the scope read from the URL, the state labels
(the calls and years to choose from: fsi.tracking.calls)."""
from flask import request

from fsi.limits import bounded_int
from fsi.tracking.figures import Scope
from fsi.workflow.definitions import circuits

#: the years a call may open in (fsi.limits: dates between 2000 and 2100)
YEARS = range(2000, 2101)


def scope_from_args(**more):
    """``?call=&year=`` (anything else: everything)."""
    year = bounded_int(request.args.get("year"))
    return Scope(call_id=bounded_int(request.args.get("call")), year=year if year in YEARS else None, **more)


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
