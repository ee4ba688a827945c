"""Mails reach each person in their language (the account's preference, French by default)."""
import re

from sqlmodel import select

from fsi.accounts.models import Role
from fsi.accounts.services import request_password_reset
from fsi.db import db
from fsi.mail.models import OutboxMessage
from fsi.workflow.service import fire
from tests.factories import create_application, create_call, create_organisation, create_user


def mails(in_db):
    with in_db() as session:
        return {m.recipient: m for m in session.exec(select(OutboxMessage)).all()}


def test_a_workflow_notification_goes_out_in_each_recipients_language(app, in_db, open_guards):
    with in_db():
        organisation = create_organisation()
        french = create_user(Role.applicant, organisation=organisation, email="fr@example.org")
        english = create_user(Role.applicant, organisation=organisation, email="en@example.org", language="en")
        staff = create_user(Role.staff)
        application = create_application(call=create_call(), organisation=organisation, state="submitted",
                                         reference="FSI-2026-0042")
        ids = (application.id, staff.id)
    with app.test_request_context():
        fire(db.session.get(type(application), ids[0]), "return_for_completion",
             db.session.get(type(staff), ids[1]), comment="Joindre le budget signé.")
        db.commit()
    sent = mails(in_db)
    assert sent[french.email].subject == "[FSI] FSI-2026-0042 : Retourné pour complément"
    assert "a changé d'état : Déposé → Retourné pour complément" in sent[french.email].body
    assert sent[english.email].subject == "[FSI] FSI-2026-0042 : Returned for completion"
    assert "changed state: Submitted → Returned for completion" in sent[english.email].body
    assert "Joindre le budget signé." in sent[english.email].body


def test_the_language_chosen_in_the_header_becomes_the_accounts_preference(client, in_db, login):
    with in_db():
        user = create_user(Role.staff, email="claire@example.org")
    login(user)
    client.post("/language", data={"lang": "en", "next": "/"})
    with in_db():
        request_password_reset("claire@example.org")  # outside Claire's browser: her preference decides
    message = mails(in_db)["claire@example.org"]
    assert message.subject == "Resetting your FSI password"
    assert "A password reset has been requested for your FSI account." in message.body


def test_a_decision_letter_is_mailed_in_each_recipients_language(app, in_db):
    from decimal import Decimal

    from fsi.db import utcnow
    from fsi.review.letters import release
    from fsi.review.models import AgendaItem, CommitteeSession, Outcome

    with in_db():
        organisation = create_organisation(name="Habitat Témoin", director_name="Madame la Directrice générale",
                                           postal_address="12 boulevard des Dames\n13002 Marseille")
        create_user(Role.applicant, organisation=organisation, email="fr@example.org")
        create_user(Role.applicant, organisation=organisation, email="en@example.org", language="en")
        call = create_call(title="Appel 2026")
        application = create_application(call=call, organisation=organisation, state="approved",
                                         reference="FSI-2026-0007")
        session = CommitteeSession(call_id=call.id, title="Comité", starts_at=utcnow())
        db.session.add(session)
        db.session.flush()
        item = AgendaItem(session_id=session.id, application_id=application.id, outcome=Outcome.approved,
                          amount=Decimal("10000.00"), decided_at=utcnow())
        db.session.add(item)
        db.session.flush()
        assert release(item, application)
        # at or below the agreement threshold, the project starts with its letter
        assert application.state == "in_progress"
    sent = mails(in_db)
    assert sent["fr@example.org"].subject == "[FSI] FSI-2026-0007 : subvention accordée"
    assert "vous accorder une subvention de 10\u202f000,00\xa0€" in sent["fr@example.org"].body
    assert "aucune convention n'est nécessaire" in sent["fr@example.org"].body
    assert sent["en@example.org"].subject == "[FSI] FSI-2026-0007: grant awarded"
    assert "award you a grant of €10,000.00" in sent["en@example.org"].body
    assert "no grant agreement is needed" in sent["en@example.org"].body
    # written by the association: place and date in words, the addressee, its signature
    french = sent["fr@example.org"].body
    assert re.search(r"^Marseille, le \d{1,2} \w+ \d{4}$", french, re.M), french
    assert "À l'attention de Madame la Directrice générale\n12 boulevard des Dames\n13002 Marseille" in french
    assert "La présidence de l'association régionale\nAssociation régionale Hlm Provence-Alpes-Côte d'Azur" in french
    assert "Le Fonds de soutien à l'innovation" not in french and not re.search(r"\d{2}/\d{2}/\d{4}", french)
    assert re.search(r"^Marseille, \d{1,2} [A-Z]\w+ \d{4}$", sent["en@example.org"].body, re.M)
