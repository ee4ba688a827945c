"""The call's ranking (staff only): every application with its consolidated figures, on screen
and as a CSV export (same filters)."""
from flask import render_template, request

from fsi.amounts import AmountError, parse_amount
from fsi.cache import kept_page
from fsi.calls.models import Call
from fsi.exports import csv_response
from fsi.review.access import can_assess
from fsi.review.consolidation import rounded
from fsi.review.ranking import SORTS, ranking, ranking_states
from fsi.review.scoring import criteria_of
from fsi.web import get_or_404, requires


def ranked_rows(call):
    sort = request.args.get("sort", "total")
    sort = sort if sort in SORTS else "total"
    descending = request.args.get("order", "desc" if sort != "reference" else "asc") != "asc"
    try:
        min_total = parse_amount(request.args.get("min_total"))
    except AmountError:
        min_total = None
    state = request.args.get("state") if request.args.get("state") in ranking_states(call) else None
    rows = ranking(call, sort=sort, descending=descending, state=state,
                   disagreement_only=request.args.get("disagreement") == "1", min_total=min_total)
    return rows, sort, descending


@requires(can_assess)
@kept_page
def call_ranking(call_id):
    call = get_or_404(Call, call_id)
    rows, sort, descending = ranked_rows(call)
    return render_template("review/ranking.html", call=call, rows=rows, criteria=criteria_of(call.id),
                           sort=sort, descending=descending, args=request.args, states=ranking_states(call))


@requires(can_assess)
def call_ranking_csv(call_id):
    call = get_or_404(Call, call_id)
    rows, _sort, _descending = ranked_rows(call)
    criteria = criteria_of(call.id)
    header = (["rang", "référence", "titre", "organisme", "état", "total pondéré /100", "score z",
               "évaluations soumises", "évaluateurs", "avis régional", "montant demandé"]
              + [f"{c.label} ({label})" for c in criteria for label in ("moyenne", "médiane", "écart-type")])
    lines = [[rank, row.application.reference, row.application.title, row.organisation.name, row.application.state,
              rounded(row.figures.total_mean), rounded(row.figures.z_mean), row.submitted, row.assigned,
              row.opinion.opinion.value if row.opinion else None, rounded(row.application.requested_amount)]
             + [rounded(v) for f in row.figures.criteria for v in (f.mean, f.median, f.stdev)]
             for rank, row in enumerate(rows, start=1)]
    return csv_response([header, *lines], f"classement-appel-{call.id}.csv")
