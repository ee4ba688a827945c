"""The tracking figures recomputed in Python, row by row, from the generated dataset
(tests/tracking/dataset.py): what test_figures and test_panorama compare the pages' figures to."""
import statistics
from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal

import pytest

from fsi.applications.calculator import committed_amounts
from fsi.db import db
from fsi.i18n import PARIS
from fsi.workflow import tagged
from tests.tracking.dataset import build

AWARDED = tagged("application", "awarded")
DUE = tagged("report", "due")
OUTSTANDING = tagged("payment", "outstanding")
#: the day the figures are computed on (overdue reports and payments)
DAY = datetime(2026, 6, 1).date()
ZERO = Decimal("0.00")


class Expected:
    """The dataset's figures recomputed row by row."""

    def __init__(self, data):
        self.data = data
        self.calls = {c.id: c for c in data.calls}
        self.committed = committed_amounts(data.applications)
        self.project_of = {p.application_id: p for p in data.projects}
        self.application_of_project = {p.id: data.application(p.application_id) for p in data.projects}

    def keys(self, application, dimension):
        """The keys an application counts under (several axes; one key otherwise)."""
        organisation = self.data.organisation(application.organisation_id)
        call = self.calls[application.call_id]
        territory_id = application.territory_id or organisation.territory_id
        territory = self.data.territory(territory_id) if territory_id else None
        return {
            "all": [0],
            "call": [call.id],
            "year": [call.opens_at.astimezone(PARIS).year],
            "department": [territory.department_code if territory else organisation.department_code],
            "epci": [territory_id],
            "axis": self.data.call_axes[call.id],
            "theme": [application.theme_id],
            "organisation_kind": [organisation.kind.value],
        }[dimension]

    def in_scope(self, application, scope):
        return ((scope.call_id is None or application.call_id == scope.call_id)
                and (scope.year is None or self.keys(application, "year") == [scope.year])
                and (scope.territory_id is None or self.keys(application, "epci") == [scope.territory_id])
                and (scope.department is None or self.keys(application, "department") == [scope.department]))

    def running(self, project):
        return project.lapsed_on is None and self.application_of_project[project.id].state in AWARDED

    def groups(self, dimension, scope):
        groups = defaultdict(list)
        for application in self.data.applications:
            if self.in_scope(application, scope):
                for key in self.keys(application, dimension):
                    groups[key].append(application)
        return groups

    def figures(self, applications):
        ids = {a.id for a in applications}
        projects = [p for p in self.data.projects if p.application_id in ids]
        project_ids = {p.id for p in projects}
        running = {p.id for p in projects if self.running(p)}
        clawbacks = [c for c in self.data.clawbacks if c.project_id in project_ids]
        decisions = [(self.data.decisions[a.id] - a.received_at).total_seconds() / 86400
                     for a in applications if a.id in self.data.decisions and a.received_at]
        first_payments = []
        for project in projects:
            paid_on = [t.paid_on for t in self.data.tranches if t.project_id == project.id and t.paid_on]
            approved_at = self.application_of_project[project.id].approved_at
            if paid_on and approved_at:
                decided_on = approved_at.astimezone(PARIS).date()  # the decision's day in Paris
                first_payments.append((min(paid_on) - decided_on).days)
        return {
            "by_state": dict(Counter(a.state for a in applications)),
            "requested": sum((a.requested_amount or ZERO for a in applications if a.received_at), ZERO),
            "granted": sum((a.approved_amount for a in applications if a.approved_amount is not None), ZERO),
            "committed": sum((self.committed[a.id] for a in applications), ZERO),
            "paid": sum((p.paid_total for p in projects), ZERO),
            "remaining": sum((max(ZERO, (p.due_amount if p.due_amount is not None else p.granted_amount)
                                  - p.paid_total) for p in projects if p.id in running), ZERO),
            "recovered": sum((c.amount for c in clawbacks if c.received_on), ZERO),
            "to_recover": sum((c.amount for c in clawbacks if not c.received_on), ZERO),
            "projects": len(projects),
            "overdue_reports": sum(1 for r in self.data.reports
                                   if r.project_id in running and r.state in DUE and r.due_on < DAY),
            "overdue_payments": sum(1 for t in self.data.tranches if t.project_id in running
                                    and t.state in OUTSTANDING and t.due_on and t.due_on < DAY),
            "median_days_to_decision": statistics.median(decisions) if decisions else None,
            "median_days_to_first_payment": statistics.median(first_payments) if first_payments else None,
        }

    def envelope(self, dimension, key, scope):
        calls = [c for c in self.data.calls
                 if (scope.call_id is None or c.id == scope.call_id)
                 and (scope.year is None or c.opens_at.astimezone(PARIS).year == scope.year)]
        if dimension == "all":
            return sum((c.envelope for c in calls), ZERO)
        if dimension == "call":
            return sum((c.envelope for c in calls if c.id == key), ZERO)
        if dimension == "year":
            return sum((c.envelope for c in calls if c.opens_at.astimezone(PARIS).year == key), ZERO)
        return sum((c.envelope for c in calls if key in self.data.call_axes[c.id]), ZERO)


def assert_same(found, expected, where):
    for name, value in expected.items():
        got = getattr(found, name)
        if name.startswith("median"):
            assert (got is None) == (value is None), (where, name, got, value)
            if value is not None:
                assert abs(float(got) - value) <= 0.051, (where, name, got, value)
        else:
            assert got == value, (where, name, got, value)


@pytest.fixture
def generated(in_db):
    """The dataset, committed; its rows detached (read them again with ``reloaded``)."""
    with in_db():
        return build(n_applications=60, seed=1)


@pytest.fixture
def dataset(app, generated):
    """The dataset read again in an app context held for the whole test: for the tests that call
    the figures directly (a page test must not hold one: its requests would share it)."""
    with app.app_context():
        yield reloaded(generated)


def reloaded(data):
    """The dataset's rows, read again in the current session."""
    for name in ("calls", "territories", "organisations", "applications", "projects", "tranches", "reports",
                 "clawbacks"):
        setattr(data, name, [db.session.merge(row, load=True) for row in getattr(data, name)])
    return data
