"""The call's ranking: consolidated figures per application, sorted and filtered."""
from decimal import Decimal

from fsi.calls.models import Call
from fsi.db import db
from fsi.review.ranking import ranking
from tests.review.conftest import create_review_application
from tests.review.helpers import add_review


def test_ranking_sorts_filters_and_keeps_unscored_applications_last(in_request, people):
    with in_request():
        call = db.session.get(Call, people["call_id"])
        low = create_review_application(call, state="reviewed", reference="R-LOW")
        high = create_review_application(call, state="reviewed", reference="R-HIGH")
        split = create_review_application(call, state="reviewed", reference="R-SPLIT")
        create_review_application(call, state="eligible", reference="R-NONE")
        add_review(low, people["r1"], [1, 2], people["staff"])  # (2×0.2 + 0.2) / 3 = 20
        add_review(high, people["r1"], [5, 10], people["staff"])  # 100
        add_review(split, people["r1"], [5, 0], people["staff"])  # (2 + 0) / 3 = 66.67
        add_review(split, people["r2"], [0, 10], people["staff"])  # 1 / 3 = 33.33 → mean 50, σ 2.5 and 5
        order = [r.application.reference for r in ranking(call)]
        assert order == ["R-HIGH", "R-SPLIT", "R-LOW", "R-NONE"]
        order = [r.application.reference for r in ranking(call, descending=False)]
        assert order == ["R-LOW", "R-SPLIT", "R-HIGH", "R-NONE"]
        rows = ranking(call, disagreement_only=True)
        assert [r.application.reference for r in rows] == ["R-SPLIT"]
        assert rows[0].figures.total_mean.quantize(Decimal("0.01")) == Decimal("50.00")
        assert rows[0].max_stdev == Decimal(5)
        assert [r.application.reference for r in ranking(call, state="eligible")] == ["R-NONE"]
        assert [r.application.reference for r in ranking(call, min_total=Decimal(60))] == ["R-HIGH"]
        assert [r.application.reference for r in ranking(call, sort="stdev")][:1] == ["R-SPLIT"]
