"""The call's ranking: every application with its consolidated figures, sortable and filterable."""
from dataclasses import dataclass

from sqlmodel import select

from fsi.accounts.models import Organisation
from fsi.applications.models import Application
from fsi.db import db
from fsi.review.assignments import review_status
from fsi.review.consolidation import Consolidation, ReviewerHabits, consolidate
from fsi.review.models import RegionalOpinion
from fsi.review.scoring import criteria_of, plain_scores, reviewer_totals_in_call, scales, submitted_reviews
from fsi.workflow.definitions import get_workflow

SORTS = ("total", "z", "stdev", "reference", "requested")


@dataclass
class RankingRow:
    application: Application
    organisation: Organisation
    figures: Consolidation
    assigned: int
    submitted: int
    opinion: RegionalOpinion | None

    @property
    def max_stdev(self):
        spreads = [f.stdev for f in self.figures.criteria if f.stdev is not None]
        return max(spreads) if spreads else None


def consolidation_for(call, applications, criteria=None):
    """{application id: Consolidation} for applications of one call, in constant queries."""
    criteria = criteria if criteria is not None else criteria_of(call.id)
    grid = scales(criteria)
    reviews = submitted_reviews([a.id for a in applications])
    habits = ReviewerHabits(reviewer_totals_in_call(call.id, criteria), call.zscore_min_reviews)
    return {
        application.id: consolidate([(reviewer, plain_scores(rows)) for reviewer, _r, rows in reviews[application.id]],
                                    grid, call.disagreement_threshold, habits=habits)
        for application in applications
    }


def ranking_states(call):
    """The states a ranking may be filtered on: every state of the call's circuit but the initial
    one, in order."""
    workflow = get_workflow(call.circuit)
    return [name for name in workflow.states if name != workflow.initial]


def submitted_applications(call, state=None):
    """[(Application, Organisation)] of the call that left their initial state (submitted at
    least once), by reference."""
    query = (select(Application, Organisation).join(Organisation, Organisation.id == Application.organisation_id)
             .where(Application.call_id == call.id, Application.state != get_workflow(call.circuit).initial))
    if state:
        query = query.where(Application.state == state)
    return db.session.exec(query.order_by(Application.reference)).all()


def opinions_of(applications):
    """{application id: RegionalOpinion} in one query."""
    if not applications:
        return {}
    return {o.application_id: o for o in db.session.exec(select(RegionalOpinion).where(
        RegionalOpinion.application_id.in_([a.id for a in applications])))}


def ranking(call, sort="total", descending=True, state=None, disagreement_only=False, min_total=None):
    pairs = submitted_applications(call, state)
    applications = [a for a, _o in pairs]
    figures = consolidation_for(call, applications)
    status = review_status(applications)
    opinions = opinions_of(applications)
    rows = [RankingRow(a, o, figures[a.id], *status[a.id], opinions.get(a.id)) for a, o in pairs]
    if disagreement_only:
        rows = [r for r in rows if r.figures.disagreement]
    if min_total is not None:
        rows = [r for r in rows if r.figures.total_mean is not None and r.figures.total_mean >= min_total]
    return sort_rows(rows, sort, descending)


def sort_rows(rows, sort, descending):
    """Missing figures always sink to the bottom, whatever the direction."""
    def value(row):
        return {
            "total": row.figures.total_mean, "z": row.figures.z_mean, "stdev": row.max_stdev,
            "requested": row.application.requested_amount, "reference": row.application.reference,
        }[sort if sort in SORTS else "total"]

    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    present.sort(key=lambda r: (value(r), r.application.reference), reverse=descending)
    return present + missing
