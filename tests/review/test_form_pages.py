"""Review pages for people, not only browsers: the server's French message next to an
out-of-range score (no browser bubble). The decision letter's heading and the link to the
eligibility grid are checked on the demo data, in test_pages.py."""
import re
from datetime import date

from sqlmodel import select

from fsi.accounts.models import User
from fsi.calls.models import Call, Criterion
from fsi.db import db
from fsi.review.models import Assignment, Review, ReviewScore
from tests.review.conftest import create_review_application


def test_out_of_range_score_is_refused_next_to_its_field_and_nothing_is_stored(client, login, in_db, people):
    with in_db():
        application = create_review_application(db.session.get(Call, people["call_id"]), state="in_review")
        assignment = Assignment(application_id=application.id, reviewer_id=people["r1"], deadline=date(2030, 1, 1),
                                assigned_by_id=people["staff"])
        db.session.add(assignment)
        db.session.flush()
        assignment_id = assignment.id
        first = db.session.exec(select(Criterion).where(Criterion.call_id == people["call_id"])
                                .order_by(Criterion.position)).first()
        criterion_id, scale = first.id, (first.scale_min, first.scale_max)
        user = db.session.get(User, people["r1"])
    login(user)
    url = f"/review/assignments/{assignment_id}/review"
    form = client.get(url).get_data(as_text=True)
    # novalidate: the browser leaves the scale to the server, whose message is in French
    assert re.search(r'<form method="post" novalidate>', form)
    response = client.post(url, data={f"review-score_{criterion_id}": str(scale[1] + 2),
                                      "review-recommendation": "fund", "review-confidence": "2", "submit": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    field_error = page.split(f'id="review-score_{criterion_id}-error">', 1)[1].split("</p>", 1)[0]
    assert field_error == f"La note doit être comprise entre {scale[0]} et {scale[1]}."
    assert f'aria-describedby="review-score_{criterion_id}-hint review-score_{criterion_id}-error"' in page
    with in_db():
        assert db.session.exec(select(Review).where(Review.assignment_id == assignment_id)).all() == []
        assert db.session.exec(select(ReviewScore)).all() == []
