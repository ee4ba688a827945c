"""Each role's home page: what it shows, to whom, and in a constant number of statements."""
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from fsi.accounts.models import Role
from fsi.db import db, utcnow
from fsi.i18n import today as paris_today
from fsi.mail.models import MailStatus, OutboxMessage
from fsi.review.models import (
    AgendaItem,
    Assignment,
    CommitteeSession,
    Outcome,
    Recommendation,
    Review,
    SessionMember,
    SessionStatus,
)
from fsi.workflow.events import GENESIS_HASH
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.tags import tagged
from tests.accounts.helpers import page
from tests.factories import create_application, create_call, create_organisation, create_user
from tests.queries import count_statements

STAFF = Role.staff


# --- test data ------------------------------------------------------------------------------

def add_event(application, at, to_state="submitted"):
    """A state change of ``application`` at ``at`` (the row as the log stores it)."""
    db.session.add(WorkflowEvent(workflow="application", object_id=application.id, seq=1, trigger="submit",
                                 from_state="draft", to_state=to_state, created_at=at, workflow_version=2,
                                 prev_hash=GENESIS_HASH, hash="0" * 64))
    db.session.flush()


def add_session(call, title, starts_at, members=(), status=SessionStatus.planned):
    session = CommitteeSession(call_id=call.id, title=title, starts_at=starts_at, place="Marseille", status=status)
    db.session.add(session)
    db.session.flush()
    for member in members:
        db.session.add(SessionMember(session_id=session.id, user_id=member.id))
    db.session.flush()
    return session


def add_decision(session, application, released=True, outcome=Outcome.approved):
    item = AgendaItem(session_id=session.id, application_id=application.id, outcome=outcome,
                      amount=Decimal("10000.00") if outcome == Outcome.approved else None,
                      decided_at=utcnow(), released_at=utcnow() if released else None)
    db.session.add(item)
    db.session.flush()
    return item


def assign(application, reviewer, deadline, staff, submitted=None):
    """An assignment, with a review submitted (True), in progress (False) or none (None)."""
    assignment = Assignment(application_id=application.id, reviewer_id=reviewer.id, deadline=deadline,
                            assigned_by_id=staff.id)
    db.session.add(assignment)
    db.session.flush()
    if submitted is not None:
        # the review's state says whether it counts (workflows/review.yaml), asked for by tag
        state = tagged("review", "counted" if submitted else "unsent").states[0]
        db.session.add(Review(assignment_id=assignment.id, recommendation=Recommendation.fund, confidence=2,
                              submitted_at=utcnow() if submitted else None, state=state))
        db.session.flush()
    return assignment


def add_mail(status):
    db.session.add(OutboxMessage(recipient="x@example.org", subject="Objet", body="Texte", status=status))
    db.session.flush()


def home_statements(app, client):
    with count_statements(app) as statements:
        response = client.get("/")
    assert response.status_code == 200
    return len(statements)


# --- access ---------------------------------------------------------------------------------

def test_anonymous_visitors_get_the_public_home_with_a_way_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/login"' in response.get_data(as_text=True)


@pytest.mark.parametrize("role,heading", [
    (Role.applicant, "Porteur de projet"), (Role.reviewer, "Membre du comité"),
    (Role.staff, "Chargé(e) de mission"), (Role.admin, "Administrateur"),
])
def test_each_role_gets_its_page_with_greeting_and_role(client, in_db, login, role, heading):
    with in_db():
        user = create_user(role=role, full_name="Claire Dubois")
    login(user)
    text = page(client.get("/"))
    assert "Bonjour Claire Dubois" in text and heading in text


def test_the_audit_page_is_for_admins_only(client, in_db, login):
    with in_db():
        staff, applicant = create_user(role=Role.staff), create_user(role=Role.applicant)
    for user in (staff, applicant):
        login(user)
        assert client.get("/workflow/audit").status_code == 403
        client.post("/logout")


# --- applicant ------------------------------------------------------------------------------

def test_applicant_home_lists_the_organisations_applications_calls_and_letters(client, in_db, login):
    with in_db():
        organisation = create_organisation(name="Habitat Témoin")
        applicant = create_user(role=Role.applicant, organisation=organisation)
        open_call = create_call(title="Appel Habitat 2026", closes_at=datetime(2030, 6, 30, 15, 0, tzinfo=UTC))
        create_call(title="Appel fermé", opens_at=utcnow() - timedelta(days=60), closes_at=utcnow() - timedelta(days=1))
        create_call(title="Appel à venir", opens_at=utcnow() + timedelta(days=5), closes_at=utcnow() + timedelta(days=60))
        submitted = create_application(call=open_call, organisation=organisation, state="submitted",
                                       title="Jardins partagés", reference="FSI-2026-0001")
        add_event(submitted, datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
        approved = create_application(call=open_call, organisation=organisation, state="approved",
                                      reference="FSI-2026-0002")
        deferred = create_application(call=open_call, organisation=organisation, state="deferred",
                                      reference="FSI-2026-0003")
        create_application(call=open_call, state="submitted", reference="FSI-2026-0099", title="Projet d'autrui")
        session = add_session(open_call, "Comité de mars", utcnow() - timedelta(days=3))
        released = add_decision(session, approved)
        add_decision(session, deferred, released=False, outcome=Outcome.deferred)
    login(applicant)
    text = page(client.get("/"))
    rows = text[text.index('id="mes-dossiers"'):]
    assert re.search(r"FSI-2026-0001</a></td>\s*<td>Jardins partagés</td><td>Appel Habitat 2026</td>\s*"
                     r'<td><span class="badge">Déposé</span></td><td>02/03/2026 10:30</td>', rows)
    assert "Subvention accordée" in rows and "FSI-2026-0099" not in text and "Projet d'autrui" not in text
    assert f'href="/applications/{submitted.id}"' in rows
    calls = text[text.index('id="appels-ouverts"'):text.index("Mon organisme")]
    assert "Appel Habitat 2026" in calls and "clôture le 30/06/2030 17:00" in calls
    assert "Appel fermé" not in calls and "Appel à venir" not in calls
    letters = text[text.index('id="decisions"'):text.index('id="mes-dossiers"')]
    assert "FSI-2026-0002 : Accordé" in letters and f'href="/review/items/{released.id}/letter"' in letters
    assert "FSI-2026-0003" not in letters  # held letter
    assert 'href="/review/letters"' in letters


def test_applicant_without_letters_or_applications_sees_no_letters_card(client, in_db, login):
    with in_db():
        applicant = create_user(role=Role.applicant, organisation=create_organisation(name="Habitat Vide"))
    login(applicant)
    text = page(client.get("/"))
    assert 'id="decisions"' not in text
    assert "Votre organisme n'a pas encore de dossier." in text and "Habitat Vide" in text


def test_applicant_home_shows_ten_applications_and_links_to_all(client, in_db, login):
    with in_db():
        organisation = create_organisation()
        applicant = create_user(role=Role.applicant, organisation=organisation)
        call = create_call()
        for _ in range(12):
            create_application(call=call, organisation=organisation)
    login(applicant)
    text = page(client.get("/"))
    assert text.count('href="/applications/') - text.count('href="/applications/"') == 10
    assert "Voir les 12 dossiers de mon organisme" in text


def test_applicant_home_in_constant_statements(app, client, in_db, login):
    with in_db():
        organisation = create_organisation()
        applicant = create_user(role=Role.applicant, organisation=organisation)

    def add_rows(n):
        with in_db():
            for _ in range(n):
                call = create_call()
                application = create_application(call=call, organisation=organisation, state="approved")
                add_event(application, utcnow(), to_state="submitted")
                add_decision(add_session(call, "Séance", utcnow()), application)

    login(applicant)
    add_rows(1)
    one = home_statements(app, client)
    add_rows(2)
    three = home_statements(app, client)
    assert page(client.get("/")).count("Lire la lettre") == 3
    assert one == three, (one, three)


# --- reviewer -------------------------------------------------------------------------------

@pytest.fixture
def reviewer_setup(in_db):
    with in_db():
        own_org = create_organisation()
        staff = create_user(role=STAFF)
        reviewer = create_user(role=Role.reviewer, organisation=own_org, full_name="Alice Relectrice")
        other = create_user(role=Role.reviewer)
        call = create_call(title="Appel Comité")
        today = paris_today()
        assign(create_application(call=call, state="in_review"), reviewer, today + timedelta(days=30), staff, True)
        assign(create_application(call=call, state="in_review"), reviewer, today - timedelta(days=2), staff, False)
        assign(create_application(call=call, state="in_review"), reviewer, today + timedelta(days=40), staff)
        assign(create_application(call=call, state="in_review"), reviewer, today + timedelta(days=10), staff, True)
        # an application of their own organisation: left out of their queue (conflict)
        assign(create_application(call=call, organisation=own_org, state="in_review"), reviewer,
               today + timedelta(days=5), staff)
        add_session(call, "Séance close", utcnow() - timedelta(days=20), [reviewer], status=SessionStatus.closed)
        add_session(call, "Séance sans elle", utcnow() + timedelta(days=2), [other])
        add_session(call, "Séance de juin", utcnow() + timedelta(days=9), [reviewer])
        add_session(call, "Séance de juillet", utcnow() + timedelta(days=40), [reviewer])
        return {"reviewer": reviewer, "staff": staff, "call": call, "deadline": today + timedelta(days=40)}


def test_reviewer_home_summarises_the_queue_and_the_next_session(client, login, reviewer_setup):
    login(reviewer_setup["reviewer"])
    text = page(client.get("/"))
    card = text[text.index('id="mes-evaluations"'):text.index('id="prochaine-seance"')]
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", card))
    assert facts["Dossiers confiés"] == "4" and facts["Évaluations soumises"] == "2"
    assert ">1</span>" in facts["En retard"]
    assert facts["Prochaine date limite"] == reviewer_setup["deadline"].strftime("%d/%m/%Y")
    assert 'href="/review/queue"' in card
    session = text[text.index('id="prochaine-seance"'):]
    assert "Séance de juin" in session and "Séance de juillet" not in session and "Séance sans elle" not in session


def test_reviewer_without_assignments_or_sessions(client, in_db, login):
    with in_db():
        reviewer = create_user(role=Role.reviewer)
    login(reviewer)
    text = page(client.get("/"))
    assert "Aucun dossier ne vous est confié pour le moment." in text
    assert "Vous n'êtes membre d'aucune séance prévue." in text


def test_reviewer_home_in_constant_statements(app, client, in_db, login):
    with in_db():
        staff, reviewer = create_user(role=STAFF), create_user(role=Role.reviewer)
        call = create_call()
        add_session(call, "Séance", utcnow() + timedelta(days=3), [reviewer])

    def add_rows(n):
        with in_db():
            for _ in range(n):
                assign(create_application(call=call, state="in_review"), reviewer, paris_today(), staff, False)

    login(reviewer)
    add_rows(1)
    one = home_statements(app, client)
    add_rows(2)
    three = home_statements(app, client)
    assert "<dt>Dossiers confiés</dt><dd>3</dd>" in page(client.get("/"))
    assert one == three, (one, three)


# --- staff ----------------------------------------------------------------------------------

def test_staff_home_counts_what_awaits_staff_per_call(client, in_db, login):
    with in_db():
        staff, r1, r2 = create_user(role=STAFF), create_user(role=Role.reviewer), create_user(role=Role.reviewer)
        call = create_call(title="Appel Instruction")
        quiet = create_call(title="Appel tranquille")
        create_application(call=quiet, state="draft")
        create_application(call=quiet, state="approved")
        for state in ("submitted", "submitted", "eligible", "reviewed", "draft", "scheduled"):
            create_application(call=call, state=state)
        done = create_application(call=call, state="in_review")
        assign(done, r1, paris_today(), staff, True)
        assign(done, r2, paris_today(), staff, True)
        waiting = create_application(call=call, state="in_review")
        assign(waiting, r1, paris_today(), staff, True)
        assign(waiting, r2, paris_today(), staff, False)
        create_application(call=call, state="in_review")  # no reviewer yet
        add_session(call, "Comité d'automne", utcnow() + timedelta(days=12))
        add_session(call, "Comité passé", utcnow() - timedelta(days=12), status=SessionStatus.closed)
        add_mail(MailStatus.failed)
        add_mail(MailStatus.failed)
        add_mail(MailStatus.pending)
        add_mail(MailStatus.sent)
    login(staff)
    text = page(client.get("/"))
    table = text[text.index('id="a-traiter"'):text.index("</table>")]
    assert "Appel tranquille" not in table
    cells = re.findall(r'<td class="num">(.*?)</td>', table)
    assert [re.sub(r"<[^>]+>", "", c) for c in cells] == ["2", "1", "1", "1"]
    assert f'href="/applications/call/{call.id}?state=submitted">2</a>' in table
    assert f'href="/applications/call/{call.id}?state=eligible">1</a>' in table
    assert f'href="/review/calls/{call.id}/applications">1</a>' in table
    assert f'href="/applications/call/{call.id}?state=reviewed">1</a>' in table
    assert "Comité d'automne" in text and "Comité passé" not in text
    assert "2 courriels en échec" in text
    assert "Instruction" in text and "Consulter les organismes" in text


def test_staff_home_when_nothing_waits(client, in_db, login):
    with in_db():
        staff = create_user(role=STAFF)
    login(staff)
    text = page(client.get("/"))
    assert "Aucun dossier n'attend l'équipe pour le moment." in text
    assert "Aucune séance prévue." in text and "Aucun courriel en échec." in text


def test_staff_home_in_constant_statements(app, client, in_db, login):
    with in_db():
        staff, reviewer = create_user(role=STAFF), create_user(role=Role.reviewer)

    def add_rows(n):
        with in_db():
            for _ in range(n):
                call = create_call()
                for state in ("submitted", "eligible", "reviewed"):
                    create_application(call=call, state=state)
                assign(create_application(call=call, state="in_review"), reviewer, paris_today(), staff, True)

    login(staff)
    add_rows(1)
    one = home_statements(app, client)
    add_rows(2)
    three = home_statements(app, client)
    assert page(client.get("/")).count("?state=submitted") == 3
    assert one == three, (one, three)


# --- admin ----------------------------------------------------------------------------------

def test_admin_home_keeps_counts_and_adds_outbox_and_audit_link(client, in_db, login):
    with in_db():
        admin = create_user(role=Role.admin)
        create_user(role=Role.applicant)
        add_mail(MailStatus.failed)
    login(admin)
    text = page(client.get("/"))
    assert "2 comptes" in text and "1 organisme" in text and "Gérer les utilisateurs" in text
    assert "1 courriel en échec" in text
    assert 'href="/workflow/audit"' in text


def test_audit_page_verifies_the_log_and_shows_its_head_hash(app, client, in_db, login):
    from fsi.workflow.audit import verify

    with in_db():
        admin = create_user(role=Role.admin)
    login(admin)
    with app.app_context():
        expected = verify()
    text = page(client.get("/workflow/audit"))
    assert expected.ok and "Journal valide" in text and expected.head_hash in text


# --- staff « Instruction » page: states in workflow order -----------------------------------

def test_instruction_page_lists_states_in_workflow_order(client, in_db, login):
    with in_db():
        staff = create_user(role=STAFF)
        call = create_call(title="Appel ordonné")
        for state in ("reviewed", "submitted", "in_review", "eligible", "draft", "approved"):
            create_application(call=call, state=state)
    login(staff)
    text = page(client.get("/review/"))
    badges = re.findall(r'<span class="badge">([^:<]+) : 1</span>', text)
    assert badges == ["Brouillon", "Déposé", "Recevable", "En évaluation par le comité", "Évaluation terminée",
                      "Subvention accordée"]
