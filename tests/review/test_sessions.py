"""Committee sessions: agenda grouped by conflicts, quorum, amounts within the envelope (even
under concurrent approvals), minutes, decision letters held then released."""
import re
import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlmodel import select

from fsi.accounts.models import Organisation, User
from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.db import StaleObject, db
from fsi.mail.models import OutboxMessage
from fsi.review import decisions
from fsi.review import sessions as ops
from fsi.review.eligibility import record_opinion
from fsi.review.envelope import awarded_total
from fsi.review.errors import ReviewError
from fsi.review.letters import release_all
from fsi.review.minutes import recusal_reason
from fsi.review.models import AgendaItem, CommitteeSession, Opinion, Outcome, Recusal
from fsi.review.models.scoring import ConflictSource
from fsi.workflow.service import WorkflowRefused
from tests.review.conftest import create_review_application, create_review_call
from tests.review.helpers import walk_to_reviewed

#: a session held in the past: it may be run, decided and closed
WHEN = datetime(2026, 3, 5, 13, 30, tzinfo=UTC)


def get(model, ident):
    return db.session.get(model, ident)


def plan(people, quorum=2, members=("r1", "r2", "r3")):
    call = get(Call, people["call_id"])
    return ops.create_session(call, "Comité de mars", WHEN, "Marseille", quorum, people["staff"],
                              [people[m] for m in members])


def on_agenda(session, application, people):
    """On the session's agenda, with the association's opinion given (approval waits for it)."""
    ops.add_to_agenda(session, application, get(User, people["staff"]))
    record_opinion(application, Opinion.favourable, "Projet attendu.", get(User, people["staff"]))
    return db.session.exec(select(AgendaItem).where(AgendaItem.application_id == application.id)).one()


def test_putting_on_the_agenda_fires_schedule_and_groups_by_conflicts(in_request, people):
    with in_request():
        call = get(Call, people["call_id"])
        session = plan(people)
        own = get(Organisation, people["org_id"])  # r3 is a member of it
        a = create_review_application(call, reference="FSI-T-0001")
        b = create_review_application(call, organisation=own, reference="FSI-T-0002")
        c = create_review_application(call, reference="FSI-T-0003")
        d = create_review_application(call, organisation=own, reference="FSI-T-0004")
        for application in (b, a, d, c):
            on_agenda(session, application, people)
        assert {x.state for x in (a, b, c, d)} == {"scheduled"}
        order = [application.reference for _item, application in ops.agenda_of(session)]
        # free items first, then r3's two items together: r3 leaves the room once
        assert order == ["FSI-T-0001", "FSI-T-0003", "FSI-T-0002", "FSI-T-0004"]
        with pytest.raises(ReviewError, match="autre appel"):
            on_agenda(session, create_review_application(create_review_call()), people)
        with pytest.raises(WorkflowRefused):
            on_agenda(session, create_review_application(call, state="in_review"), people)


def test_quorum_counts_present_members_without_conflict(in_request, people):
    with in_request():
        call, staff = get(Call, people["call_id"]), get(User, people["staff"])
        session = plan(people, quorum=2)
        application = create_review_application(call, organisation=get(Organisation, people["org_id"]))
        item = on_agenda(session, application, people)
        ops.record_attendance(session, {people["r1"], people["r3"]})  # r3 is conflicted: 1 counted
        with pytest.raises(WorkflowRefused, match="Quorum non atteint : 1 membre"):
            decisions.decide(item, application, "reject", staff, comment="Hors sujet")
        ops.record_attendance(session, {people["r1"], people["r2"], people["r3"]})
        decisions.decide(item, application, "reject", staff, comment="Hors sujet")
        assert application.state == "rejected" and item.members_counted == 2
        recusals = db.session.exec(select(Recusal).where(Recusal.item_id == item.id)).all()
        assert [r.user_id for r in recusals] == [people["r3"]]
        assert recusals[0].source == ConflictSource.organisation
        assert recusal_reason(recusals[0]) == "Même organisme"
        with force_locale("en"):
            assert recusal_reason(recusals[0]) == "Same organisation"


@pytest.mark.parametrize("amount, message", [
    (Decimal("50000.01"), "dépasse le montant demandé"),
    (Decimal("45000"), "subvention maximale"),  # calculator: 50 % of 80 000 € = 40 000 €
    (Decimal("30000"), "dépasserait l'enveloppe"),  # 100 000 € − 75 000 € awarded = 25 000 €
])
def test_approval_amount_is_checked(in_request, people, amount, message):
    with in_request():
        call, staff = get(Call, people["call_id"]), get(User, people["staff"])
        create_review_application(call, state="approved", approved_amount=Decimal("75000"))
        session = plan(people, quorum=1)
        application = create_review_application(call, eligible_cost=Decimal("80000"))
        item = on_agenda(session, application, people)
        ops.record_attendance(session, {people["r1"]})
        with pytest.raises(WorkflowRefused, match=message):
            decisions.decide(item, application, "approve", staff, data={"amount": amount})
        decisions.decide(item, application, "approve", staff, data={"amount": Decimal("25000")})
        assert application.approved_amount == Decimal("25000") and application.state == "approved"
        assert awarded_total(call.id) == Decimal("100000")
        assert get(Call, call.id).version == 2  # approvals serialise on the call


def test_two_concurrent_approvals_never_exceed_the_envelope(app, in_request, people):
    with in_request():
        call = get(Call, people["call_id"])  # envelope 100 000 €
        session = plan(people, quorum=1)
        items = []
        for _ in range(2):
            application = create_review_application(call, eligible_cost=Decimal("200000"),
                                                    requested_amount=Decimal("60000"))
            items.append(on_agenda(session, application, people).id)
        ops.record_attendance(session, {people["r1"]})
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def approve(index, item_id):
        with app.test_request_context():
            try:
                item = get(AgendaItem, item_id)
                application = get(Application, item.application_id)
                get(Call, application.call_id)  # read before the other commits
                staff = get(User, people["staff"])
                barrier.wait(timeout=10)
                decisions.decide(item, application, "approve", staff, data={"amount": Decimal("60000")})
                db.commit()
                outcomes[index] = "ok"
            except (StaleObject, WorkflowRefused) as error:
                db.rollback()
                outcomes[index] = type(error).__name__

    threads = [threading.Thread(target=approve, args=(i, item_id)) for i, item_id in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes, key=str)[1] == "ok" and outcomes.count("ok") == 1, outcomes
    with app.app_context():
        assert awarded_total(people["call_id"]) == Decimal("60000")
        approved = db.session.exec(select(Application).where(Application.state == "approved")).all()
        assert len(approved) == 1


def run_full_session(people):
    """Three applications walked through the real workflow from draft, then decided in session."""
    call, staff = get(Call, people["call_id"]), get(User, people["staff"])
    session = plan(people, quorum=2)
    own = get(Organisation, people["org_id"])
    first = create_review_application(call, organisation=own, title="Conciergerie solidaire", state="draft")
    second = create_review_application(call, title="Capteurs connectés", state="draft")
    third = create_review_application(call, title="Jardins partagés", state="draft")
    walk_to_reviewed(first, staff, [people["r1"], people["r2"]])
    walk_to_reviewed(second, staff, [people["r1"], people["r3"]])
    walk_to_reviewed(third, staff, [people["r2"], people["r3"]])
    items = [on_agenda(session, a, people) for a in (first, second, third)]
    ops.record_attendance(session, {people["r1"], people["r2"], people["r3"]})
    decisions.decide(items[0], first, "approve", staff, comment="Très bon projet", data={"amount": Decimal("40000")})
    decisions.decide(items[1], second, "reject", staff, comment="Pas assez innovant")
    decisions.decide(items[2], third, "defer", staff, comment="Préciser le budget")
    return session, items


def test_minutes_show_attendance_quorum_recusals_decisions_and_the_head_hash(client, login, in_request, people,
                                                                             open_submission):
    with in_request():
        session, _items = run_full_session(people)
        session_id = session.id
    with in_request():
        session = get(CommitteeSession, session_id)
        decisions.close_session(session)
        head = session.audit_head_hash
        staff = get(User, people["staff"])
    assert head and len(head) == 64
    login(staff)
    page = client.get(f"/review/sessions/{session_id}/minutes").get_data(as_text=True)
    for expected in ("Alice Relectrice", "présent(e)", "Chloé Conflit (Même organisme)", "Accordé", "Refusé",
                     "Ajourné", "40\u202f000,00\xa0€", "Pas assez innovant", "Préciser le budget",
                     "2 présent(s) sans conflit / 2 requis", "3 présent(s) sans conflit / 2 requis",
                     "60\u202f000,00\xa0€", head):
        assert expected in page, expected


def test_closing_needs_every_item_decided(in_request, people):
    with in_request():
        session = plan(people)
        on_agenda(session, create_review_application(get(Call, people["call_id"])), people)
        with pytest.raises(ReviewError, match="Chaque dossier"):
            decisions.close_session(session)


def test_letters_are_held_then_released_in_bulk(client, login, in_request, people, open_submission):
    with in_request():
        session, items = run_full_session(people)
        session_id, item_id = session.id, items[0].id
        before = len(db.session.exec(select(OutboxMessage)).all())
        applicant = get(User, people["applicant"])
    login(applicant)
    assert client.get(f"/review/items/{item_id}/letter").status_code == 404  # held
    with in_request():
        assert release_all(get(CommitteeSession, session_id)) == 3
        assert release_all(get(CommitteeSession, session_id)) == 0  # already released
        mails = db.session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()[before:]
    assert [m.recipient for m in mails if "subvention accordée" in m.subject] == [applicant.email]
    assert any("Pas assez innovant" in m.body for m in mails)
    letter = client.get(f"/review/items/{item_id}/letter").get_data(as_text=True)
    assert "subvention de 40\u202f000,00\xa0€" in letter


def test_a_decision_fired_from_the_generic_workflow_actions_is_recorded_on_the_agenda(client, login, in_request,
                                                                                      people):
    with in_request():
        session = plan(people, quorum=1)
        application = create_review_application(get(Call, people["call_id"]),
                                                organisation=get(Organisation, people["org_id"]))
        item = on_agenda(session, application, people)
        ops.record_attendance(session, {people["r1"], people["r3"]})
        application_id, version, item_id = application.id, application.version, item.id
        staff = get(User, people["staff"])
    login(staff)
    response = client.post(f"/workflow/application/{application_id}/reject",
                           data={"reject-comment": "Budget irréaliste", "reject-expected_version": version,
                                 "reject-next": "/"})
    assert response.status_code == 302
    with in_request():
        item = get(AgendaItem, item_id)
        assert (item.outcome, item.motivation, item.members_counted) == (Outcome.rejected, "Budget irréaliste", 1)
        assert [r.user_id for r in db.session.exec(select(Recusal).where(Recusal.item_id == item_id))] == [people["r3"]]


def test_the_chair_runs_the_session_from_the_web(client, login, in_request, people):
    with in_request():
        session = plan(people, quorum=2)
        application = create_review_application(get(Call, people["call_id"]), title="Ateliers bricolage",
                                                eligible_cost=Decimal("60000"))  # maximum 30 000 €
        ids = dict(session=session.id, application=application.id)
        staff = get(User, people["staff"])
    login(staff)
    base = f"/review/sessions/{ids['session']}"
    assert client.post(f"/review/applications/{ids['application']}/opinion",
                       data={"opinion-opinion": "favourable", "opinion-reasons": "Projet attendu."}).status_code == 302
    assert client.post(f"{base}/agenda", data={"application_id": ids["application"]}).status_code == 302
    with in_request():
        item_id = db.session.exec(select(AgendaItem.id).where(AgendaItem.session_id == ids["session"])).one()
        assert get(Application, ids["application"]).state == "scheduled"
    client.post(f"{base}/attendance", data={"present_ids": [people["r1"], people["r2"]], "back": "run"})
    client.post(f"{base}/current", data={"item_id": item_id})
    decide = f"/review/items/{item_id}/decide/approve"
    with in_request():
        version = str(get(Application, ids["application"]).version)

    def approve(**fields):
        data = {f"approve-{item_id}-{name}": value for name, value in {"expected_version": version, **fields}.items()}
        return client.post(decide, data=data, follow_redirects=True).get_data(as_text=True)

    page = approve(amount="45 000,50")
    assert "subvention maximale" in page and "30\u202f000,00\xa0€" in page
    # refused: the page comes back (not a redirect) with the amount typed kept and the focus on it
    field = re.search(rf'<input[^>]*name="approve-{item_id}-amount"[^>]*>', page).group(0)
    assert 'value="45 000,50"' in field and "autofocus" in field
    assert "dépasse le montant demandé" in approve(amount="60 000")
    page = approve(amount="27 500,50", comment="Bravo")
    assert "Décision enregistrée" in page
    with in_request():
        application = get(Application, ids["application"])
        assert (application.state, application.approved_amount) == ("approved", Decimal("27500.50"))
        assert get(AgendaItem, item_id).members_counted == 2
    assert "27\u202f500,50\xa0€" in client.get(f"{base}/minutes").get_data(as_text=True)
    # a decided item has no form left on the page: a second decision is refused and says why
    assert "Ce point de l&#39;ordre du jour est déjà décidé." in approve(amount="20 000")
    with in_request():
        assert get(Application, ids["application"]).approved_amount == Decimal("27500.50")
    assert client.post(f"{base}/close").status_code == 302
    with in_request():
        assert get(CommitteeSession, ids["session"]).status.value == "closed"


def test_editing_members_regroups_the_agenda(client, login, in_request, people):
    with in_request():
        session = plan(people, quorum=2, members=("r1", "r2"))
        call = get(Call, people["call_id"])
        own = create_review_application(call, organisation=get(Organisation, people["org_id"]), reference="FSI-T-0001")
        create_review_application(call, reference="FSI-T-0002")
        on_agenda(session, own, people)
        on_agenda(session, get(Application, own.id + 1), people)
        assert [a.reference for _i, a in ops.agenda_of(session)] == ["FSI-T-0001", "FSI-T-0002"]
        session_id = session.id
        staff = get(User, people["staff"])
    login(staff)
    response = client.post(f"/review/sessions/{session_id}/edit", data={
        "call_id": people["call_id"], "title": "Comité de mars", "starts_at": "2026-03-05T14:30", "place": "Nice", "quorum": "2",
        "chair_id": people["staff"], "member_ids": [people["r1"], people["r2"], people["r3"]]})
    assert response.status_code == 302
    with in_request():
        session = get(CommitteeSession, session_id)
        assert session.place == "Nice" and session.starts_at == WHEN.replace(hour=13, minute=30)  # 14:30 in Paris
        # r3 joined and is conflicted on FSI-T-0001: that item moves after the free one
        assert [a.reference for _i, a in ops.agenda_of(session)] == ["FSI-T-0002", "FSI-T-0001"]


def test_attendance_of_a_closed_session_is_final(client, login, in_request, people, open_submission):
    """The minutes read the attendance: once the session is closed, it can no longer change."""
    with in_request():
        session, _items = run_full_session(people)
        decisions.close_session(session)
        session_id = session.id
        present = {m.user_id for m in ops.members_of(session) if m.present}
    with in_request(), pytest.raises(ReviewError):
        ops.record_attendance(get(CommitteeSession, session_id), set())
    login(get_user(in_request, people["staff"]))
    response = client.post(f"/review/sessions/{session_id}/attendance",
                           data={"present_ids": [people["r4"]]}, follow_redirects=True)
    assert response.status_code == 200
    with in_request():
        assert {m.user_id for m in ops.members_of(get(CommitteeSession, session_id)) if m.present} == present


def get_user(in_request, user_id):
    with in_request():
        return get(User, user_id)


def test_a_session_is_run_decided_and_closed_only_from_its_date_unless_brought_forward(client, login, in_request,
                                                                                      people):
    from datetime import timedelta

    from fsi.db import utcnow

    with in_request():
        call = get(Call, people["call_id"])
        later = utcnow() + timedelta(days=3)
        session = ops.create_session(call, "Comité de décembre", later, "Marseille", 1, people["staff"],
                                     [people["r1"]])
        application = create_review_application(call, title="Ateliers bricolage")
        item = on_agenda(session, application, people)
        ids = dict(session=session.id, item=item.id, application=application.id)
        for refused in (lambda: ops.record_attendance(session, {people["r1"]}),
                        lambda: ops.set_current_item(session, item),
                        lambda: decisions.decide(item, application, "reject", get(User, people["staff"]),
                                                 comment="Trop tôt"),
                        lambda: decisions.close_session(session)):
            with pytest.raises(ReviewError, match="n'a pas encore commencé"):
                refused()
    login(get_user(in_request, people["staff"]))
    run = client.get(f"/review/sessions/{ids['session']}/run").get_data(as_text=True)
    assert "Avancer la séance : elle se tient maintenant" in run and "Enregistrer : Refuser" not in run
    detail = client.get(f"/review/sessions/{ids['session']}").get_data(as_text=True)
    # no attendance form that would be refused: the page says when it opens, and how to open it now
    assert "Enregistrer les présences" not in detail and "Les présences se prennent une fois" in detail
    assert "Avancer la séance : elle se tient maintenant" in detail
    assert client.post(f"/review/sessions/{ids['session']}/bring-forward").status_code == 302
    assert "Enregistrer les présences" in client.get(f"/review/sessions/{ids['session']}").get_data(as_text=True)
    with in_request():
        session = get(CommitteeSession, ids["session"])
        assert session.planned_starts_at == later.replace(microsecond=later.microsecond)
        assert session.has_started() and session.brought_forward_by_id == people["staff"]
        ops.record_attendance(session, {people["r1"]})
        decisions.decide(get(AgendaItem, ids["item"]), get(Application, ids["application"]), "reject",
                         get(User, people["staff"]), comment="Hors sujet")
    minutes = client.get(f"/review/sessions/{ids['session']}/minutes").get_data(as_text=True)
    assert "(avancée ; initialement prévue le" in minutes


def test_the_envelope_figures_add_up_session_by_session(in_request, people):
    """Envelope = granted in the other sessions + granted in this one + remaining."""
    from datetime import timedelta

    from fsi.review.envelope import envelope_of

    with in_request():
        call = get(Call, people["call_id"])  # 100 000 €
        staff = get(User, people["staff"])
        first, second = plan(people, quorum=1), ops.create_session(call, "Comité d'avril", WHEN + timedelta(days=30),
                                                                   "Nice", 1, people["staff"], [people["r1"]])
        for session, amount in ((first, "20000"), (second, "15000")):
            application = create_review_application(call)
            item = on_agenda(session, application, people)
            ops.record_attendance(session, {people["r1"]})
            decisions.decide(item, application, "approve", staff, data={"amount": Decimal(amount)})
        figures = envelope_of(call, second)
        assert (figures.envelope, figures.granted_before, figures.proposed, figures.remaining) == (
            Decimal("100000.00"), Decimal("20000.00"), Decimal("15000.00"), Decimal("65000.00"))
        first_figures = envelope_of(call, first)
        assert (first_figures.granted_before, first_figures.proposed) == (Decimal("15000.00"), Decimal("20000.00"))
