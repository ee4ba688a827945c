"""The demo data: about twenty applications at every stage, through the workflow (audit passes)."""
from sqlmodel import func, select

from fsi.accounts.models import User
from fsi.applications.models import Application, CoApplicant
from fsi.db import db
from fsi.review.conflicts import conflicted_user_ids
from fsi.review.models import AgendaItem, Assignment, CommitteeSession, NationalDecision, NationalSession, SessionStatus
from tests.factories import run_demo


def test_demo_walks_twenty_applications_through_the_workflow(app, domains):
    run_demo(app)
    run_demo(app)  # idempotent
    with app.test_request_context():
        states = dict(db.session.exec(select(Application.state, func.count()).group_by(Application.state)).all())
        assert sum(states.values()) >= 20
        for state in ("submitted", "returned", "ineligible", "eligible", "in_review", "reviewed", "scheduled",
                      "approved", "rejected", "deferred"):
            assert states.get(state), state
        comite3 = db.session.exec(select(User).where(User.email == "comite3@demo.fsi")).one()
        porteur = db.session.exec(select(User).where(User.email == "porteur@demo.fsi")).one()
        own = db.session.exec(select(Application).where(Application.organisation_id == porteur.organisation_id,
                                                        Application.state == "scheduled")).first()
        assert own is not None and comite3.id in conflicted_user_ids(own)
        assert not db.session.exec(select(Assignment).where(Assignment.reviewer_id == comite3.id,
                                                            Assignment.application_id == own.id)).first()
        sessions = {s.status: s for s in db.session.exec(select(CommitteeSession))}
        assert sessions[SessionStatus.closed].audit_head_hash
        assert db.session.exec(select(func.count()).select_from(AgendaItem).where(
            AgendaItem.session_id == sessions[SessionStatus.planned].id)).one() == 3
        # the national circuit: every step, a joint project, the comité des aides' calendar
        national = dict(db.session.exec(select(Application.state, func.count()).where(
            Application.circuit == "application_fsi").group_by(Application.state)).all())
        for state in ("submitted", "eligible", "opinion_given", "at_federation", "at_cglls", "approved", "rejected"):
            assert national.get(state), state
        assert db.session.exec(select(func.count()).select_from(CoApplicant)).one() == 1
        assert db.session.exec(select(func.count()).select_from(NationalSession)).one() == 5
        # a grant and a refusal, the three grants the funding demo needs (fsi.funding.demo) and the
        # one whose agreement the browser journey of funded projects signs
        assert db.session.exec(select(func.count()).select_from(NationalDecision)).one() == 6
        from fsi.workflow.audit import verify

        assert verify().ok
