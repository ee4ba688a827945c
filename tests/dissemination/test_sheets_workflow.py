"""The sheet's workflow: the lead writes and submits, staff return it with comments or publish
it (the application becomes disseminated, with its own event), staff unpublish with a reason,
a sheet taken down is revised and published again."""
import pytest
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db
from fsi.dissemination.sheets import sheets
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.errors import Refused
from fsi.workflow import tagged
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.service import WorkflowRefused, fire
from tests.dissemination.sheets_setup import COMPLETE, get, make_closed, published_sheet, written_sheet

PUBLIC = tagged("sheet", "public")
EDITABLE = tagged("sheet", "editable")
AWAITING = tagged("sheet", "awaiting_staff")


def act(client, sheet_id, trigger, comment=""):
    with client.application.app_context():
        version = db.session.get(PracticeSheet, sheet_id).version
    return client.post(f"/workflow/sheet/{sheet_id}/{trigger}",
                       data={f"{trigger}-comment": comment, f"{trigger}-expected_version": str(version)})


def events(workflow, object_id):
    return [(e.trigger, e.comment) for e in db.session.exec(
        select(WorkflowEvent).where(WorkflowEvent.workflow == workflow, WorkflowEvent.object_id == object_id)
        .order_by(WorkflowEvent.seq)).all()]


def test_the_lead_writes_through_the_form(in_db, client, login):
    with in_db():
        closed = make_closed()
        sheet = sheets.start_sheet(get(Application, closed.application_id), get(User, closed.lead_id))
        sheet_id, version = sheet.id, sheet.version
        lead = get(User, closed.lead_id)
    login(lead)
    data = {**COMPLETE, "title": "Une conciergerie solidaire", "expected_version": version,
            "indicators-0-label": "Ménages servis", "indicators-0-target": "100", "indicators-0-measured": "120",
            "indicators-1-label": "", "lessons": "# Titre\n\nAssocier les **locataires**."}
    response = client.post(f"/sheets/{sheet_id}/edit", data=data)
    assert response.status_code == 302
    with in_db():
        sheet = get(PracticeSheet, sheet_id)
        assert sheet.title == "Une conciergerie solidaire" and sheet.slug == f"{sheet_id}-une-conciergerie-solidaire"
        assert sheet.indicators == [{"label": "Ménages servis", "target": "100", "measured": "120"}]
    page = client.get(f"/sheets/{sheet_id}").get_data(as_text=True)
    assert "<h3>Titre</h3>" in page and "<strong>locataires</strong>" in page
    # a stale page is refused and changes nothing
    response = client.post(f"/sheets/{sheet_id}/edit", data={**data, "title": "Autre", "expected_version": version})
    assert response.status_code == 422
    with in_db():
        assert get(PracticeSheet, sheet_id).title == "Une conciergerie solidaire"


def test_an_incomplete_sheet_cannot_be_submitted(in_db):
    with in_db():
        closed = make_closed()
        lead = get(User, closed.lead_id)
        sheet = sheets.start_sheet(get(Application, closed.application_id), lead)
        with pytest.raises(WorkflowRefused) as refused:
            fire(sheet, "submit", lead)
        assert "texte alternatif" in str(refused.value.reasons)  # the photo prefilled without its description
        assert "Résumez la pratique" not in str(refused.value.reasons)  # the application's summary was taken


def test_staff_return_with_comments_then_publish(in_db, client, login):
    with in_db():
        closed = make_closed()
        sheet = written_sheet(closed)
        fire(sheet, "submit", get(User, closed.lead_id))
        assert sheet.state in AWAITING
        sheet_id, staff = sheet.id, get(User, closed.staff_id)
    login(staff)
    # a return needs its comment
    act(client, sheet_id, "return_for_changes")
    with in_db():
        assert get(PracticeSheet, sheet_id).state in AWAITING
    act(client, sheet_id, "return_for_changes", "Précisez le budget.")
    with in_db():
        sheet = get(PracticeSheet, sheet_id)
        assert sheet.state in EDITABLE
        assert events("sheet", sheet_id)[-1] == ("return_for_changes", "Précisez le budget.")
        lead = get(User, closed.lead_id)
        sheets.save_sheet(sheet, lead, {"budget": "Moins cher que prévu."})
        fire(sheet, "submit", lead)
    assert act(client, sheet_id, "publish").status_code == 302
    with in_db():
        sheet = get(PracticeSheet, sheet_id)
        assert sheet.state in PUBLIC and sheet.published_at is not None
        application = get(Application, closed.application_id)
        assert application.state == "disseminated"
        assert events("application", application.id)[-1][0] == "disseminate"


def test_publishing_waits_for_the_project_to_be_closed(in_db):
    with in_db():
        closed = make_closed(state="final_report")
        sheet = written_sheet(closed)
        fire(sheet, "submit", get(User, closed.lead_id))
        with pytest.raises(WorkflowRefused) as refused:
            fire(sheet, "publish", get(User, closed.staff_id))
        assert "soldé" in str(refused.value.reasons)
        assert refused.value.reasons[0].remedy.endpoint == "funding.show"
        assert sheet.state in AWAITING


def test_only_staff_publish_and_only_the_lead_submits(in_db):
    with in_db():
        closed = make_closed()
        sheet = written_sheet(closed)
        with pytest.raises(WorkflowRefused):
            fire(sheet, "submit", get(User, closed.other_id))
        fire(sheet, "submit", get(User, closed.lead_id))
        with pytest.raises(WorkflowRefused):
            fire(sheet, "publish", get(User, closed.lead_id))


def test_unpublish_needs_a_reason_and_a_revised_sheet_is_published_again(in_db):
    with in_db():
        closed = make_closed()
        sheet = published_sheet(closed)
        staff, lead = get(User, closed.staff_id), get(User, closed.lead_id)
        with pytest.raises(Refused):  # published: revised first, never edited in place
            sheets.save_sheet(sheet, lead, {"title": "Changée"})
        first_slug = sheet.slug
        with pytest.raises(WorkflowRefused):
            fire(sheet, "unpublish", staff)
        fire(sheet, "unpublish", staff, comment="Une photo montre un locataire sans son accord.")
        assert sheet.state not in PUBLIC
        assert events("sheet", sheet.id)[-1] == ("unpublish", "Une photo montre un locataire sans son accord.")
        fire(sheet, "revise", lead)
        assert sheet.state in EDITABLE
        sheets.save_sheet(sheet, lead, {"title": "Conciergerie solidaire, version revue"})
        assert sheet.slug == first_slug  # stable once published
        fire(sheet, "submit", lead)
        fire(sheet, "publish", staff)  # the application is already disseminated: published again all the same
        assert sheet.state in PUBLIC
        disseminations = [e for e in events("application", closed.application_id) if e[0] == "disseminate"]
        assert len(disseminations) == 1
