"""The FSI's national circuit beside the regional one: the association's opinion, transmissions
to the federation or the CGLLS aimed at a session of its calendar, the national decision with its
notification; the audit replays each file through its own circuit."""
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import select
from werkzeug.datastructures import FileStorage

from fsi.accounts.models import Organisation, User
from fsi.applications.models import Application, Attachment
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.i18n import today
from fsi.mail.models import OutboxMessage
from fsi.review import decisions, national
from fsi.review import sessions as ops
from fsi.review.eligibility import record_opinion
from fsi.review.errors import ReviewError
from fsi.review.letters import letter_text, release
from fsi.review.models import AgendaItem, NationalDecision, Opinion, Outcome, Transmission
from fsi.workflow.audit import verify
from fsi.workflow.registry import definition_of
from fsi.workflow.service import WorkflowRefused, fire
from tests.review.conftest import create_review_application, create_review_call
from tests.review.helpers import walk_to_reviewed

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def get(model, ident):
    return db.session.get(model, ident)


def notification():
    return FileStorage(io.BytesIO(PDF), filename="notification.pdf")


@pytest.fixture
def national_call(in_request, people):
    with in_request():
        return create_review_call(circuit="application_fsi", envelope=Decimal("500000.00")).id


def scored(people, national_call, kind="innovation", **kw):
    """A national-circuit file walked to « Évaluation terminée » through the workflow."""
    call = get(Call, national_call)
    application = create_review_application(call, organisation=get(Organisation, people["org_id"]), state="draft",
                                            kind=kind, circuit=call.circuit, **kw)
    walk_to_reviewed(application, get(User, people["staff"]), [people["r1"], people["r2"]])
    return application


def opinion_given(people, national_call, kind="innovation", **kw):
    """…then the regional committee's session gives the association's opinion."""
    call, staff = get(Call, national_call), get(User, people["staff"])
    application = scored(people, national_call, kind, **kw)
    session = ops.create_session(call, "Comité régional", utcnow() - timedelta(days=1), "Marseille", 1,
                                 people["staff"], [people["r1"]])
    ops.add_to_agenda(session, application, staff)
    ops.record_attendance(session, {people["r1"]})
    item = db.session.exec(select(AgendaItem).where(AgendaItem.application_id == application.id)).one()
    assert decisions.decision_triggers(application) == ["defer", "give_opinion"]
    decisions.decide(item, application, "give_opinion", staff, comment="Projet attendu.")
    return application, item


def test_the_regional_committee_gives_an_opinion_it_never_grants(in_request, people, open_submission, national_call):
    with in_request():
        application, item = opinion_given(people, national_call)
        assert (application.state, application.approved_amount, item.outcome) == ("opinion_given", None,
                                                                                  Outcome.opinion)
        assert definition_of(application).name == "application_fsi"
        release(item, application)
        letter = letter_text(item, application)
        assert "L'association régionale a rendu un avis favorable" in letter
        assert "transmis à la fédération de votre organisme" in letter  # an innovation project
        assert "accorder une subvention" not in letter and "Fonds de soutien à l'innovation" not in letter


def test_the_opinion_waits_for_the_association_to_record_it(in_request, people, open_submission, national_call):
    with in_request():
        call, staff = get(Call, national_call), get(User, people["staff"])
        application = scored(people, national_call)
        db.session.execute(text("DELETE FROM regional_opinion"))
        session = ops.create_session(call, "Comité", utcnow() - timedelta(days=1), "Nice", 1, people["staff"],
                                     [people["r1"]])
        ops.add_to_agenda(session, application, staff)
        ops.record_attendance(session, {people["r1"]})
        with pytest.raises(WorkflowRefused, match="L'avis de l'association régionale n'est pas encore enregistré"):
            fire(application, "give_opinion", staff)
        record_opinion(application, Opinion.reserved, "Budget à préciser.", staff)
        fire(application, "give_opinion", staff)
        assert application.state == "opinion_given"


def test_an_innovation_file_goes_through_the_federation_then_the_cglls(in_request, people, open_submission,
                                                                       national_call):
    with in_request():
        staff = get(User, people["staff"])
        application, _item = opinion_given(people, national_call)
        coming = national.save_national_session(None, today() + timedelta(days=40), "Comité des aides de janvier")
        # straight to the CGLLS, or past the page that records the session aimed at: refused, with where to go
        with pytest.raises(WorkflowRefused, match="passe d'abord par la fédération"):
            fire(application, "transmit_to_cglls", staff, data={"date": today()})
        with pytest.raises(WorkflowRefused, match="s'enregistre avec sa date") as refused:
            fire(application, "transmit_to_federation", staff, data={"date": today()})
        assert refused.value.reasons[0].remedy.endpoint == "review.transmit"
        with pytest.raises(ReviewError, match="dans le futur"):
            national.transmit(application, "transmit_to_federation", today() + timedelta(days=1), coming, staff)
        national.transmit(application, "transmit_to_federation", today(), coming, staff)
        assert application.state == "at_federation"
        national.transmit(application, "transmit_to_cglls", today(), coming, staff)
        assert application.state == "at_cglls"
        sent = db.session.exec(select(Transmission).order_by(Transmission.id)).all()
        assert [(t.recipient.value, t.national_session_id) for t in sent] == [("federation", coming.id),
                                                                            ("cglls", coming.id)]


def test_a_modernisation_file_goes_to_the_cglls_directly(in_request, people, open_submission, national_call):
    with in_request():
        staff = get(User, people["staff"])
        application, _item = opinion_given(people, national_call, kind="modernisation")
        assert national.next_transmission(application) == "transmit_to_cglls"
        coming = national.save_national_session(None, today() + timedelta(days=40), "Comité des aides de janvier")
        with pytest.raises(WorkflowRefused, match="transmis directement à la CGLLS"):
            national.transmit(application, "transmit_to_federation", today(), coming, staff)
        national.transmit(application, "transmit_to_cglls", today(), coming, staff)
        assert application.state == "at_cglls"


def at_cglls(people, national_call, **kw):
    staff = get(User, people["staff"])
    application, _item = opinion_given(people, national_call, kind="modernisation", **kw)
    held = national.save_national_session(None, today(), "Comité des aides")
    national.transmit(application, "transmit_to_cglls", today() - timedelta(days=10), held, staff)
    return application


def test_the_national_grant_is_recorded_with_its_notification_and_mailed(in_request, people, open_submission,
                                                                         national_call):
    with in_request():
        staff = get(User, people["staff"])
        application = at_cglls(people, national_call)
        with pytest.raises(WorkflowRefused, match="notification reçue de la CGLLS"):
            fire(application, "record_national_grant", staff, data={"amount": "30000", "date": today()})
        before = len(db.session.exec(select(OutboxMessage)).all())
        national.record_national_decision(application, "record_national_grant", today(), notification(), staff,
                                          amount=Decimal("30000"))
        # above the 23 000 € threshold: the agreement (with the CGLLS) is still to sign
        assert (application.state, application.approved_amount) == ("approved", Decimal("30000.00"))
        decision = db.session.exec(select(NationalDecision)).one()
        attachment = get(Attachment, decision.notification_id)
        assert attachment.label == national.NOTIFICATION_LABEL and attachment.application_id == application.id
        mails = db.session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()[before:]
        assert [m.recipient for m in mails] == [get(User, people["applicant"]).email]
        assert "Montant accordé : 30\u202f000,00\xa0€." in mails[0].body and "Habitat Test" in mails[0].body
        assert verify().ok


def test_a_small_national_grant_starts_without_an_agreement(in_request, people, open_submission, national_call):
    with in_request():
        staff = get(User, people["staff"])
        application = at_cglls(people, national_call, requested_amount=Decimal("20000"))
        national.record_national_decision(application, "record_national_grant", today(), notification(), staff,
                                          amount=Decimal("20000"))
        assert application.state == "in_progress"  # FSI started it: no agreement below 23 000 €


@pytest.mark.parametrize("trigger, state", [("record_national_refusal", "rejected"),
                                            ("record_national_adjournment", "deferred")])
def test_a_national_refusal_or_adjournment_needs_its_reason(in_request, people, open_submission, national_call,
                                                            trigger, state):
    with in_request():
        application_id = at_cglls(people, national_call).id
    with in_request():
        with pytest.raises(WorkflowRefused, match="commentaire est obligatoire"):
            national.record_national_decision(get(Application, application_id), trigger, today(), notification(),
                                              get(User, people["staff"]))
        db.rollback()  # as the request boundary does: the notification kept for it goes too
        assert db.session.exec(select(NationalDecision)).all() == []
    with in_request():
        application = get(Application, application_id)
        national.record_national_decision(application, trigger, today(), notification(), get(User, people["staff"]),
                                          comment="Hors du champ du fonds.")
        assert application.state == state


def test_the_audit_replays_each_file_through_its_own_circuit(in_request, people, open_submission, national_call):
    with in_request():
        application, _item = opinion_given(people, national_call)
        walk_to_reviewed(create_review_application(get(Call, people["call_id"]), state="draft"),
                         get(User, people["staff"]), [people["r1"]])  # and a regional one beside it
        assert verify().ok
        national_id = application.id
    with in_request():
        # a step the national circuit does not have, made on the national file by hand
        db.session.execute(text("UPDATE application SET circuit = 'application' WHERE id = :id"), {"id": national_id})
        result = verify()
        assert not result.ok and "give_opinion" in result.problem


def test_transmission_and_decision_pages(client, login, in_request, people, open_submission, national_call):
    with in_request():
        application, _item = opinion_given(people, national_call, kind="modernisation")
        coming = national.save_national_session(None, today() + timedelta(days=30), "Comité des aides d'hiver")
        application_id, version, session_id = application.id, application.version, coming.id
        staff = get(User, people["staff"])
    login(staff)
    page = client.get(f"/applications/{application_id}").get_data(as_text=True)
    assert f'href="/review/applications/{application_id}/transmit">Transmettre à la CGLLS…</a>' in page
    page = client.get(f"/review/applications/{application_id}/transmit").get_data(as_text=True)
    assert "Comité des aides d&#39;hiver</option>" in page and "Avis de l'association régionale</h2>" in page
    response = client.post(f"/review/applications/{application_id}/transmit", data={
        "expected_version": version, "sent_on": today().isoformat(), "national_session_id": session_id})
    assert response.status_code == 302
    with in_request():
        application = get(Application, application_id)
        assert application.state == "at_cglls"
        version = application.version
    response = client.post(f"/review/applications/{application_id}/national-decision", data={
        "expected_version": version, "trigger": "record_national_grant", "decided_on": today().isoformat(),
        "notification": (io.BytesIO(PDF), "notification.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Indiquez le montant accordé par la CGLLS." in response.get_data(
        as_text=True)
    response = client.post(f"/review/applications/{application_id}/national-decision", data={
        "expected_version": version, "trigger": "record_national_grant", "decided_on": today().isoformat(),
        "amount": "25 000", "notification": (io.BytesIO(PDF), "notification.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    with in_request():
        assert get(Application, application_id).state == "approved"


def test_the_calendar_keeps_a_session_files_were_sent_for(client, login, in_request, people, open_submission,
                                                         national_call):
    with in_request():
        application, _item = opinion_given(people, national_call, kind="modernisation")
        used = national.save_national_session(None, today() + timedelta(days=30), "Comité utilisé")
        national.transmit(application, "transmit_to_cglls", today(), used, get(User, people["staff"]))
        used_id = used.id
        staff = get(User, people["staff"])
    login(staff)
    page = client.post("/review/national-sessions", data={"meets_on": "2027-03-15", "label": ""})
    assert page.status_code == 422 and "Ce champ est obligatoire." in page.get_data(as_text=True)
    assert client.post("/review/national-sessions", data={"meets_on": "2027-03-15",
                                                          "label": "Comité des aides de mars"}).status_code == 302
    response = client.post(f"/review/national-sessions/{used_id}/delete", follow_redirects=True)
    assert "elle reste au calendrier" in response.get_data(as_text=True)
    assert "Comité des aides de mars" in client.get("/review/national-sessions").get_data(as_text=True)
