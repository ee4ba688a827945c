"""Reviews and conflicts are part of the record: a conflict sets a review aside (kept, shown with
who and why, no longer counted), a decided application's reviews never change, and every review
change is an event of the hash-chained log whose record ``audit verify`` checks against the scores."""
import importlib.util
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from fsi.accounts.models import Organisation, User
from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.db import db
from fsi.review.assignments import assign, review_status
from fsi.review.conflicts import delete_assignment, record_conflict
from fsi.review.eligibility import items_for_call, record_checks
from fsi.review.errors import ReviewError
from fsi.review.models import Assignment, ConflictSource, Recommendation, Review, ReviewScore
from fsi.review.ranking import consolidation_for, ranking
from fsi.review.scoring import criteria_of, save_review, submitted_reviews
from fsi.workflow.audit import verify
from fsi.workflow.events import events_of
from fsi.workflow.service import WorkflowRefused, fire
from fsi.workflow.tags import tagged
from tests.review.conftest import create_review_application
from tests.review.helpers import add_review

DEADLINE = date(2030, 1, 1)
REASON = "Mon conjoint dirige l'organisme porteur"


def get(model, ident):
    return db.session.get(model, ident)


def score(application, assignment, scores, submit=True):
    criteria = criteria_of(application.call_id)
    values = {"scores": {c.id: (s, f"Note {s}") for c, s in zip(criteria, scores, strict=True)},
              "recommendation": Recommendation.fund, "confidence": 2, "general_comment": "Argumenté."}
    return save_review(assignment, criteria, values, submit=submit)


def under_review(people, reviewers=("r1", "r2")):
    """An application taken to review through the workflow (so the audit replays it), reviewers assigned."""
    call, staff = get(Call, people["call_id"]), get(User, people["staff"])
    application = create_review_application(call, state="draft", organisation=get(Organisation, people["org_id"]))
    fire(application, "submit", get(User, people["applicant"]))
    record_checks(application, {i.id: (True, "") for i in items_for_call(call.id)}, staff)
    fire(application, "declare_eligible", staff)
    assignments = [assign(application, get(User, people[r]), DEADLINE, staff) for r in reviewers]
    fire(application, "start_review", staff)
    return application, assignments


def scored_application(people):
    """An application under review, r1 and r2 assigned, both reviews submitted through the workflow."""
    application, assignments = under_review(people)
    score(application, assignments[0], [5, 10])
    score(application, assignments[1], [1, 2])
    return application, assignments


def review_of(assignment):
    return db.session.exec(select(Review).where(Review.assignment_id == assignment.id)).one()


def test_a_conflict_after_submission_sets_the_review_aside_and_it_stops_counting(in_request, people, open_submission):
    with in_request():
        application, (first, second) = scored_application(people)
        before = consolidation_for(get(Call, people["call_id"]), [application])[application.id]
        assert before.count == 2
        staff = get(User, people["staff"])
        recorded = record_conflict(application, get(User, people["r1"]), ConflictSource.staff, REASON, staff)
        assert recorded.decided is False and [r.assignment_id for r in recorded.set_aside] == [first.id]
        assert "écartée" in recorded.message()

        aside = review_of(first)  # kept, with its scores
        assert aside.is_set_aside and not aside.is_submitted
        assert (aside.set_aside_by_id, aside.set_aside_reason) == (staff.id, REASON)
        assert aside.set_aside_at is not None
        kept = db.session.exec(select(ReviewScore.score).where(ReviewScore.review_id == aside.id)
                               .order_by(ReviewScore.criterion_id)).all()
        assert kept == [5, 10]
        assert db.session.get(Assignment, first.id) is not None

        after = consolidation_for(get(Call, people["call_id"]), [application])[application.id]
        assert after.count == 1
        assert [reviewer for reviewer, _r, _s in submitted_reviews([application.id])[application.id]] == [people["r2"]]
        assert review_status([application])[application.id] == (1, 1)
        row = next(r for r in ranking(get(Call, people["call_id"])) if r.application.id == application.id)
        assert (row.assigned, row.submitted, row.figures.count) == (1, 1, 1)

        events = events_of("review", aside.id)
        assert [(e.trigger, e.actor_id, e.comment) for e in events] == [("submit", people["r1"], None),
                                                                       ("set_aside", staff.id, REASON)]
        assert events[0].data["record"]["scores"] == events[1].data["record"]["scores"]
        assert sorted(events[0].data["record"]["scores"].values()) == [5, 10]
        assert verify().ok


def test_the_pages_show_a_set_aside_review_with_who_and_why(client, login, in_db, people, open_submission):
    with in_db():
        application, _assignments = scored_application(people)
        record_conflict(application, get(User, people["r1"]), ConflictSource.staff, REASON, get(User, people["staff"]))
        application_id, staff = application.id, get(User, people["staff"])
    login(staff)
    page = client.get(f"/review/applications/{application_id}/reviews").get_data(as_text=True)
    assert "Évaluations écartées" in page
    aside = page.split("Évaluations écartées")[1]
    assert "Alice Relectrice" in aside and REASON.replace("'", "&#39;") in aside and staff.full_name in aside
    assert "Bruno Relecteur" in page.split("Évaluations écartées")[0]
    assessment = client.get(f"/review/applications/{application_id}").get_data(as_text=True)
    assert "évaluation écartée" in assessment and REASON.replace("'", "&#39;") in assessment


def test_a_member_declaring_a_conflict_sets_their_own_draft_aside(in_request, people, open_submission):
    with in_request():
        r1 = get(User, people["r1"])
        application, (assignment,) = under_review(people, ("r1",))
        score(application, assignment, [3, None], submit=False)
        record_conflict(application, r1, ConflictSource.declared, REASON, r1)
        draft = review_of(assignment)
        assert draft.is_set_aside and draft.set_aside_by_id == r1.id
        assert [(e.trigger, e.from_state, e.actor_id) for e in events_of("review", draft.id)] == [
            ("set_aside", "draft", r1.id)]
        with pytest.raises(ReviewError):
            score(application, assignment, [3, 4])
        assert verify().ok


def test_a_decided_application_keeps_its_reviews_as_they_counted(in_request, people, open_submission):
    with in_request():
        application, (first, _second) = scored_application(people)
        application.state = "approved"  # decided: no longer `undecided`
        db.session.flush()
        assert application.state not in tagged("application", "undecided")
        before = consolidation_for(get(Call, people["call_id"]), [application])[application.id]
        events_before = len(events_of("review", review_of(first).id))

        recorded = record_conflict(application, get(User, people["r1"]), ConflictSource.staff, REASON,
                                   get(User, people["staff"]))
        assert recorded.decided is True and recorded.set_aside == []
        assert "déjà décidé" in recorded.message()
        review = review_of(first)
        assert review.is_submitted and review.set_aside_by_id is None
        assert len(events_of("review", review.id)) == events_before
        after = consolidation_for(get(Call, people["call_id"]), [application])[application.id]
        assert (after.count, after.total_mean) == (before.count, before.total_mean) == (2, before.total_mean)
        assert review_status([application])[application.id] == (2, 2)
        with pytest.raises(ReviewError, match="décidé"):
            score(application, first, [0, 0])


def test_a_decided_application_s_review_cannot_be_set_aside_through_the_workflow(in_request, people, open_submission):
    with in_request():
        application, (first, _second) = scored_application(people)
        application.state = "rejected"
        db.session.flush()
        with pytest.raises(WorkflowRefused, match="décidé"):
            fire(review_of(first), "set_aside", get(User, people["staff"]), comment=REASON)


def test_a_review_is_set_aside_only_for_a_recorded_conflict(in_request, people, open_submission):
    with in_request():
        _application, (first, _second) = scored_application(people)
        with pytest.raises(WorkflowRefused, match="conflit d'intérêts"):
            fire(review_of(first), "set_aside", get(User, people["staff"]), comment="Je préfère")


def test_the_log_proves_the_scores_behind_the_figures(app, in_db, people, open_submission):
    with in_db():
        application, (first, _second) = scored_application(people)
        review_id = review_of(first).id
    with app.app_context():
        assert verify().ok
    with in_db() as session:  # a score changed behind the log
        session.execute(text("UPDATE review_score SET score = 0 WHERE review_id = :r"), {"r": review_id})
    with app.app_context():
        result = verify()
    assert not result.ok
    assert result.problem.startswith(f"review #{review_id}, dernier événement n°1 ")
    assert "contenu enregistré a changé" in result.problem


def test_a_review_in_the_log_stays_with_its_assignment(in_request, people, open_submission):
    """Staff may take a member off an application while their review is a draft, not once it is in the log."""
    with in_request():
        application, (first, second) = scored_application(people)
        with pytest.raises(ReviewError, match="journal"):
            delete_assignment(first)
        staff = get(User, people["staff"])
        third = assign(application, get(User, people["r4"]), DEADLINE, staff)
        score(application, third, [2, None], submit=False)
        delete_assignment(third)
        assert db.session.get(Assignment, third.id) is None
        assert review_of(second).is_submitted


def test_the_demo_reviews_go_through_the_workflow(app, domains):
    from tests.factories import run_demo

    run_demo(app)
    with app.app_context():
        reviews = db.session.exec(select(Review)).all()
        counted = [r for r in reviews if r.is_submitted]
        assert counted and all(events_of("review", r.id)[-1].trigger == "submit" for r in counted)
        assert verify().ok


def _migration():
    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0007_review_record.py"
    spec = importlib.util.spec_from_file_location("migration_0007", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_logs_the_reviews_submitted_before_it(app, in_db, people, open_submission):
    """Reviews submitted before 0007 get their submission event, so the audit passes and proves them."""
    with in_db():
        application, _assignments = under_review(people, ("r2",))
        assignment = add_review(application, people["r1"], [4], people["staff"])  # a partial grid: no event
        review_id = review_of(assignment).id
        assert events_of("review", review_id) == []
    with app.app_context():
        assert not verify().ok  # submitted without an event
    with in_db() as session:
        _migration().log_submitted_reviews(session.connection())
    with app.app_context():
        assert verify().ok
        (event,) = events_of("review", review_id)
        assert (event.trigger, event.actor_id, event.data["record"]["scores"]) == ("submit", people["r1"],
                                                                                 {str(criteria_of(application.call_id)[0].id): 4})


def test_staff_recording_a_conflict_on_a_decided_application_are_told_the_reviews_stay(client, login, in_db, people,
                                                                                       open_submission):
    with in_db():
        application, (first, _second) = scored_application(people)
        application.state = "approved"
        application_id, first_id, staff = application.id, first.id, get(User, people["staff"])
    login(staff)
    response = client.post(f"/review/applications/{application_id}/conflicts",
                           data={"conflict-user_id": people["r1"], "conflict-reason": REASON})
    assert response.status_code == 302
    with client.session_transaction() as session:
        messages = [message for _category, message in session.get("_flashes", [])]
    assert messages == ["Conflit d'intérêts enregistré. Le dossier est déjà décidé : ses évaluations restent "
                        "telles qu'elles ont compté pour la décision."]
    with in_db():
        assert review_of(get(Assignment, first_id)).is_submitted
        figures = consolidation_for(get(Call, people["call_id"]), [get(Application, application_id)])
        assert figures[application_id].count == 2
