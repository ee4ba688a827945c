"""A sheet starts from what FSI knows: the application and its accepted final report."""
import pytest
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db
from fsi.dissemination.sheets import sheets
from fsi.dissemination.sheets.models import PracticeSheet, SheetAttachment
from fsi.errors import Refused
from fsi.funding.models import Report
from tests.dissemination.sheets_setup import get, make_closed


def test_the_lead_starts_the_sheet_from_the_final_report(in_db, client, login):
    with in_db():
        closed = make_closed()
        lead = get(User, closed.lead_id)
    login(lead)
    response = client.post(f"/sheets/start/{closed.application_id}")
    assert response.status_code == 302 and "/edit" in response.headers["Location"]
    with in_db():
        sheet = sheets.sheet_of(closed.application_id)
        assert sheet.title == "Conciergerie solidaire"
        assert sheet.slug == f"{sheet.id}-conciergerie-solidaire"
        assert sheet.problem == "Les locataires âgés manquaient de services de proximité."
        assert sheet.novelty == "Un service partagé entre trois bailleurs."
        assert sheet.actions == "La conciergerie a ouvert en mars."
        assert sheet.lessons == "Les locataires viennent quand le service est **proche**."
        assert sheet.reproduce == "Trouver le bon local."
        assert sheet.indicators == [{"label": "Ménages servis", "target": "", "measured": "120"}]
        assert sheet.results == "- Ménages servis : 120"
        assert (sheet.contact_name, sheet.contact_role, sheet.contact_email) == (
            "Camille Martin", "Chargée de projet", "camille@example.org")
        chosen = db_chosen(sheet.id)
        assert chosen == [(closed.photo_id, ""), (closed.document_id, "")]
        assert sheet.created_by_id == closed.lead_id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Conciergerie solidaire" in page and "La conciergerie a ouvert en mars." in page


def db_chosen(sheet_id):
    rows = db.session.exec(select(SheetAttachment).where(SheetAttachment.sheet_id == sheet_id)
                           .order_by(SheetAttachment.position)).all()
    return [(row.attachment_id, row.alt_text) for row in rows]


def test_starting_twice_keeps_one_sheet(in_db):
    with in_db():
        closed = make_closed()
        application, lead = get(Application, closed.application_id), get(User, closed.lead_id)
        first = sheets.start_sheet(application, lead)
        assert sheets.start_sheet(application, lead).id == first.id
        assert len(db.session.exec(select(PracticeSheet)).all()) == 1


def test_no_sheet_before_the_final_report_is_accepted(in_db):
    with in_db():
        closed = make_closed()
        report = get(Report, closed.report_id)
        report.state = "submitted"
        with pytest.raises(Refused, match="bilan final"):
            sheets.start_sheet(get(Application, closed.application_id), get(User, closed.lead_id))


def test_only_the_lead_organisation_starts_it(in_db, client, login):
    with in_db():
        closed = make_closed()
        other = get(User, closed.other_id)
        with pytest.raises(Refused):
            sheets.start_sheet(get(Application, closed.application_id), other)
    login(other)
    assert client.post(f"/sheets/start/{closed.application_id}").status_code == 404
    with in_db():
        assert sheets.sheet_of(closed.application_id) is None


def test_the_list_offers_the_projects_ready_for_a_sheet(in_db, client, login):
    with in_db():
        closed = make_closed()
        lead = get(User, closed.lead_id)
    login(lead)
    page = client.get("/sheets/").get_data(as_text=True)
    assert f"/sheets/start/{closed.application_id}" in page
    client.post(f"/sheets/start/{closed.application_id}")
    page = client.get("/sheets/").get_data(as_text=True)
    assert f"/sheets/start/{closed.application_id}" not in page and "Conciergerie solidaire" in page
