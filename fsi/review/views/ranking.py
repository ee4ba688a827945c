"""The call's ranking (staff only): every application with its consolidated figures."""
from flask import render_template, request

from fsi.formatting import parse_decimal
from fsi.review.ranking import SORTS, ranking
from fsi.review.scoring import criteria_of
from fsi.review.views import bp
from fsi.review.views.common import staff_call
from flask_login import login_required


@bp.route("/calls/<int:call_id>/ranking")
@login_required
def call_ranking(call_id):
    call = staff_call(call_id)
    sort = request.args.get("sort", "total")
    sort = sort if sort in SORTS else "total"
    descending = request.args.get("order", "desc" if sort != "reference" else "asc") != "asc"
    try:
        min_total = parse_decimal(request.args.get("min_total"))
    except ValueError:
        min_total = None
    rows = ranking(call, sort=sort, descending=descending, state=request.args.get("state") or None,
                   disagreement_only=request.args.get("disagreement") == "1", min_total=min_total)
    return render_template("review/ranking.html", call=call, rows=rows, criteria=criteria_of(call.id),
                           sort=sort, descending=descending, args=request.args)
