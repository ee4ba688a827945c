"""Steps every real file needs, in both circuits: the acknowledgement of receipt, completing a
returned file after the call closed, the deadline past which FSI closes it, closing without
follow-up, renouncing a grant; joint projects and the ceiling; what co-applicants see."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.applications.calculator import awarded_within
from fsi.applications.models import Application, Attachment, CoApplicant
from fsi.applications.operations import lapse_overdue, set_completion_deadline
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.errors import Refused
from fsi.i18n import today
from fsi.mail.models import OutboxMessage
from fsi.workflow.service import WorkflowRefused, fire
from tests.factories import create_application, create_open_call, create_organisation, create_user, fill_application


@pytest.fixture
def filed(in_db):
    """A complete draft, its applicant, and staff."""
    with in_db():
        organisation = create_organisation(name="Phocéa Habitat")
        applicant = create_user(role=Role.applicant, organisation=organisation)
        staff = create_user(role=Role.staff)
        call = create_open_call(required_attachments=[])
        application = fill_application(create_application(call=call, organisation=organisation))
    return application.id, applicant, staff


def get(application_id):
    return db.session.get(Application, application_id)


def mails_to(email):
    return db.session.exec(select(OutboxMessage).where(OutboxMessage.recipient == email)
                           .order_by(OutboxMessage.id)).all()


def test_submission_is_acknowledged_with_its_date_kept_for_the_start_rule(in_db, filed):
    application_id, applicant, staff = filed
    with in_db():
        fire(get(application_id), "submit", applicant)
        received = get(application_id).received_at
        assert received is not None
        receipt = mails_to(applicant.email)[-1]
        assert receipt.subject.endswith("accusé de réception")
        assert "Nous accusons réception du dossier" in receipt.body
        assert "ne peut pas commencer avant la date de réception" in receipt.body
        # returned, then completed once the call has closed: still possible, the first date stays
        fire(get(application_id), "return_for_completion", staff, comment="Joindre le budget signé.")
        db.session.get(Call, get(application_id).call_id).closes_at = utcnow() - timedelta(days=1)
        fire(get(application_id), "complete", applicant)
        assert (get(application_id).state, get(application_id).received_at) == ("submitted", received)
        assert "avait été reçu une première fois" in mails_to(applicant.email)[-1].body


def test_a_returned_file_past_its_deadline_is_closed_without_follow_up(in_db, filed, app):
    application_id, applicant, staff = filed
    with in_db():
        fire(get(application_id), "submit", applicant)
        fire(get(application_id), "return_for_completion", staff, comment="Pièce manquante.")
        with pytest.raises(Refused, match="dans le passé"):
            set_completion_deadline(get(application_id), today() - timedelta(days=1))
        set_completion_deadline(get(application_id), today())
        assert lapse_overdue() == []  # due today: not yet past
        get(application_id).completion_deadline = today() - timedelta(days=1)  # time passes
    result = app.test_cli_runner().invoke(args=["fsi", "lapse-overdue"])
    assert result.exit_code == 0 and "1 dossier(s) classé(s) sans suite" in result.output
    with in_db():
        assert get(application_id).state == "lapsed"
        assert "Classé sans suite" in mails_to(applicant.email)[-1].subject


def test_the_deadline_is_set_by_staff_on_a_file_awaiting_completion_only(client, in_db, login, filed):
    application_id, applicant, staff = filed
    with in_db():
        fire(get(application_id), "submit", applicant)
        version = get(application_id).version
    login(staff)
    page = client.get(f"/applications/{application_id}").get_data(as_text=True)
    assert "Délai pour compléter le dossier" not in page  # submitted: nothing to wait for
    assert client.post(f"/applications/{application_id}/deadline",
                       data={"expected_version": version, "deadline": "2030-01-31"}).status_code == 403
    with in_db():
        fire(get(application_id), "return_for_completion", staff, comment="Pièce manquante.")
        version = get(application_id).version
    assert "Délai pour compléter le dossier" in client.get(f"/applications/{application_id}").get_data(as_text=True)
    client.post(f"/applications/{application_id}/deadline", data={"expected_version": version,
                                                                  "deadline": "2030-01-31"})
    with in_db():
        assert get(application_id).completion_deadline.isoformat() == "2030-01-31"
    login(applicant)
    assert "31 janvier 2030" in client.get(f"/applications/{application_id}").get_data(as_text=True)


def test_staff_close_a_file_without_follow_up_with_a_reason(in_db, filed):
    application_id, applicant, staff = filed
    with in_db():
        fire(get(application_id), "submit", applicant)
        with pytest.raises(WorkflowRefused, match="commentaire est obligatoire"):
            fire(get(application_id), "close_without_follow_up", staff)
        fire(get(application_id), "close_without_follow_up", staff, comment="Projet abandonné par l'organisme.")
        assert get(application_id).state == "lapsed"


def test_a_renounced_grant_leaves_the_envelope_and_the_ceiling(in_db, filed):
    from fsi.review.envelope import awarded_total

    application_id, applicant, _staff = filed
    with in_db():
        application = get(application_id)
        application.state, application.approved_amount, application.approved_at = "approved", Decimal("8000"), utcnow()
        assert awarded_total(application.call_id) == Decimal("8000")
        assert awarded_within(application.organisation_id, 36) == Decimal("8000")
        with pytest.raises(WorkflowRefused, match="commentaire est obligatoire"):
            fire(application, "renounce", applicant)
        fire(application, "renounce", applicant, comment="Le conseil d'administration a changé de priorité.")
        assert application.state == "renounced"
        assert awarded_total(application.call_id) == 0
        assert awarded_within(application.organisation_id, 36) == 0


@pytest.mark.parametrize("split, lead_share, partner_share", [("lead", "30000", "0"), ("equal", "15000", "15000")])
def test_a_joint_grant_counts_against_the_lead_or_in_equal_shares(in_db, split, lead_share, partner_share):
    with in_db():
        lead, partner = create_organisation(), create_organisation()
        call = create_open_call(joint_grant_split=split)
        application = create_application(call=call, organisation=lead, state="approved", kind="joint_innovation",
                                         approved_amount=Decimal("30000"), approved_at=utcnow())
        db.session.add(CoApplicant(application_id=application.id, organisation_id=partner.id))
        db.session.flush()
        assert awarded_within(lead.id, 36) == Decimal(lead_share)
        assert awarded_within(partner.id, 36) == Decimal(partner_share)


def test_co_applicants_read_the_joint_file_and_their_share_but_never_act(client, in_db, login):
    with in_db():
        lead, partner = create_organisation(name="Phocéa Habitat"), create_organisation(name="Camargue Logis")
        partner_user = create_user(role=Role.applicant, organisation=partner)
        application = create_application(call=create_open_call(), organisation=lead, state="approved",
                                         kind="joint_innovation", approved_amount=Decimal("30000"),
                                         approved_at=utcnow(), title="Colocation intergénérationnelle")
        db.session.add(CoApplicant(application_id=application.id, organisation_id=partner.id))
        draft = create_application(call=create_open_call(), organisation=lead, title="Brouillon commun")
        db.session.add(CoApplicant(application_id=draft.id, organisation_id=partner.id))
    login(partner_user)
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Part comptée dans le plafond de votre organisme" in page and "0,00\xa0€" in page
    assert "Renoncer à la subvention" not in page  # the lead's action
    assert client.get(f"/applications/{draft.id}").status_code == 404  # a draft stays with its applicant
    mine = client.get("/applications/").get_data(as_text=True)
    assert "Projets portés avec un autre organisme" in mine and "Colocation intergénérationnelle" in mine
    assert "Brouillon commun" not in mine
    response = client.post(f"/workflow/application/{application.id}/renounce",
                           data={"renounce-comment": "Non", "renounce-expected_version": "1", "renounce-next": "/"})
    with in_db():
        assert get(application.id).state == "approved"
    assert response.status_code in (302, 403)


def test_the_applicant_cannot_remove_what_the_association_attached(client, in_db, login, filed):
    application_id, applicant, staff = filed
    with in_db():
        application = get(application_id)
        application.state = "deferred"
        notice = Attachment(application_id=application_id, label="Notification de la CGLLS", filename="n.pdf",
                            stored_name="0" * 64, content_type="application/pdf", size=10, sha256="0" * 64,
                            uploaded_by_id=staff.id)
        db.session.add(notice)
        db.session.flush()
        notice_id = notice.id
    login(applicant)
    page = client.get(f"/applications/{application_id}/section/attachments").get_data(as_text=True)
    assert "Jointe par l&#39;association" in page or "Jointe par l'association" in page
    assert client.post(f"/applications/{application_id}/attachments/{notice_id}/delete").status_code == 403
    with in_db():
        assert db.session.get(Attachment, notice_id) is not None
