"""Conflicted reviewers see nothing (404 everywhere); reviews hidden until one's own is submitted;
a review is editable until submitted, then read-only."""
from datetime import UTC, datetime

from sqlmodel import select

from fsi.accounts.models import Organisation, User
from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.db import db
from fsi.review.access import can_reviewer_view
from fsi.review.models import Assignment, Review
from fsi.review.sessions import create_session
from tests.review.conftest import create_review_application
from tests.review.helpers import add_review


def get(model, ident):
    return db.session.get(model, ident)


def setup_conflicted(in_db, people):
    """An application of r3's organisation, r3 assigned before the conflict was known, r1 reviewed it,
    and a session whose current item is it."""
    with in_db():
        call, org = get(Call, people["call_id"]), get(Organisation, people["org_id"])
        application = create_review_application(call, organisation=org, state="in_review", title="Projet secret")
        stale = add_review(application, people["r3"], [3, 5], people["staff"], submitted=False)
        add_review(application, people["r1"], [4, 6], people["staff"], comment="Avis confidentiel")
        session = create_session(call, "Séance", datetime(2026, 1, 1, 9, tzinfo=UTC), "Marseille", 1,
                                 people["staff"], [people["r1"], people["r3"]])
        from fsi.review.models import AgendaItem

        item = AgendaItem(session_id=session.id, application_id=application.id)
        db.session.add(item)
        db.session.flush()
        session.current_item_id = item.id
        return application.id, stale.id, session.id, item.id


def test_conflicted_reviewer_gets_404_on_every_route_touching_the_application(client, login, in_db, people):
    application_id, assignment_id, session_id, item_id = setup_conflicted(in_db, people)
    with in_db():
        r3 = get(User, people["r3"])
        assert can_reviewer_view(get(Application, application_id), r3) is False
        assert can_reviewer_view(get(Application, application_id), get(User, people["r1"])) is True
    login(r3)
    for url in (f"/review/assignments/{assignment_id}/review", f"/review/applications/{application_id}/reviews",
                f"/applications/{application_id}", f"/applications/{application_id}/versions",
                f"/applications/{application_id}/attachments", f"/applications/{application_id}/section/project"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/review/assignments/{assignment_id}/review", data={"review-version": ""}).status_code == 404
    assert client.post(f"/workflow/application/{application_id}/withdraw",
                       data={"withdraw-expected_version": 1}).status_code == 404
    for url in (f"/review/applications/{application_id}", f"/review/calls/{people['call_id']}/ranking",
                f"/review/sessions/{session_id}/run", f"/review/sessions/{session_id}/minutes",
                f"/review/items/{item_id}/letter"):
        assert client.get(url).status_code in (403, 404), url
    live = client.get(f"/review/sessions/{session_id}/current.json").get_json()
    assert live["recused"] is True and live["item"] is None
    page = client.get(f"/review/sessions/{session_id}/live").get_data(as_text=True)
    assert "Projet secret" not in page and "quitter la salle" in page
    queue = client.get("/review/queue").get_data(as_text=True)
    assert "Projet secret" not in queue


def test_non_conflicted_member_follows_the_item(client, login, in_db, people):
    _application_id, _a, session_id, _i = setup_conflicted(in_db, people)
    with in_db():
        user = get(User, people["r1"])
    login(user)
    live = client.get(f"/review/sessions/{session_id}/current.json").get_json()
    assert live["item"]["title"] == "Projet secret" and live["recused"] is False
    assert client.get(f"/applications/{_application_id}").status_code == 200  # assigned, free of conflict
    with in_db():
        outsider = people["r2"]
    client.post("/logout")
    with in_db():
        user = get(User, outsider)
    login(user)
    assert client.get(f"/review/sessions/{session_id}/current.json").status_code == 404


def test_others_reviews_hidden_until_own_submitted(client, login, in_db, people):
    with in_db():
        call = get(Call, people["call_id"])
        application = create_review_application(call, state="in_review")
        add_review(application, people["r2"], [5, 9], people["staff"], comment="Très convaincant")
        mine = add_review(application, people["r1"], [2, 3], people["staff"], submitted=False, comment="Brouillon")
        application_id, assignment_id = application.id, mine.id
        user = get(User, people["r1"])
    login(user)
    page = client.get(f"/review/applications/{application_id}/reviews").get_data(as_text=True)
    assert "Très convaincant" not in page and "une fois la vôtre soumise" in page
    form = client.get(f"/review/assignments/{assignment_id}/review")
    assert form.status_code == 200
    with in_db():
        from fsi.calls.models import Criterion

        ids = [c.id for c in db.session.exec(select(Criterion).where(Criterion.call_id == people["call_id"])
                                             .order_by(Criterion.position))]
        version = db.session.exec(select(Review).where(Review.assignment_id == assignment_id)).one().version
    data = {f"review-score_{ids[0]}": "4", f"review-score_{ids[1]}": "11", "review-recommendation": "fund",
            "review-confidence": "3", "review-version": str(version), "submit": "1"}
    page = client.post(f"/review/assignments/{assignment_id}/review", data=data).get_data(as_text=True)
    assert "entre 0 et 10" in page  # out of the criterion's scale: refused next to the field
    data[f"review-score_{ids[1]}"] = "8"
    response = client.post(f"/review/assignments/{assignment_id}/review", data=data)
    assert response.status_code == 302
    with in_db():
        review = db.session.exec(select(Review).where(Review.assignment_id == assignment_id)).one()
        assert review.submitted_at is not None and review.confidence == 3
    page = client.get(f"/review/applications/{application_id}/reviews").get_data(as_text=True)
    assert "Très convaincant" in page
    # read-only once submitted
    data[f"review-score_{ids[0]}"] = "0"
    client.post(f"/review/assignments/{assignment_id}/review", data=data)
    with in_db():
        from fsi.review.models import ReviewScore

        score = db.session.exec(select(ReviewScore).where(ReviewScore.review_id == review.id,
                                                          ReviewScore.criterion_id == ids[0])).one()
        assert score.score == 4
    assert response is not None


def test_draft_saves_partial_scores(client, login, in_db, people):
    with in_db():
        call = get(Call, people["call_id"])
        application = create_review_application(call, state="in_review")
        assignment = Assignment(application_id=application.id, reviewer_id=people["r1"],
                                deadline=datetime(2030, 1, 1).date(), assigned_by_id=people["staff"])
        db.session.add(assignment)
        db.session.flush()
        assignment_id = assignment.id
        from fsi.calls.models import Criterion

        first = db.session.exec(select(Criterion).where(Criterion.call_id == call.id).order_by(Criterion.position)).first()
        user = get(User, people["r1"])
    login(user)
    response = client.post(f"/review/assignments/{assignment_id}/review",
                           data={f"review-score_{first.id}": "3", f"review-comment_{first.id}": "Bien", "save": "1"})
    assert response.status_code == 302
    with in_db():
        review = db.session.exec(select(Review).where(Review.assignment_id == assignment_id)).one()
        assert review.submitted_at is None
    page = client.get("/review/queue").get_data(as_text=True)
    assert "1/2 critères notés" in page
    # submitting without every score is refused, nothing lost
    response = client.post(f"/review/assignments/{assignment_id}/review",
                           data={f"review-score_{first.id}": "3", "review-version": "1", "submit": "1"})
    assert "notez chaque critère" in response.get_data(as_text=True)


def test_queue_shows_deadlines_and_flags_late_reviews(client, login, in_db, people):
    with in_db():
        call = get(Call, people["call_id"])
        for deadline in (datetime(2020, 1, 1).date(), datetime(2040, 1, 1).date()):
            application = create_review_application(call, state="in_review")
            db.session.add(Assignment(application_id=application.id, reviewer_id=people["r1"], deadline=deadline,
                                      assigned_by_id=people["staff"]))
        user = get(User, people["r1"])
    login(user)
    page = client.get("/review/queue").get_data(as_text=True)
    assert "01/01/2020" in page and "01/01/2040" in page
    assert page.count("en retard") == 1
