"""The attachments a sheet shows: chosen among the application's, an image only with its
alternative text."""
import pytest
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db
from fsi.dissemination.sheets import sheets
from fsi.dissemination.sheets.models import SheetAttachment
from fsi.errors import Refused
from tests.dissemination.sheets_setup import add_attachment, get, make_closed


def chosen(sheet_id):
    return [(row.attachment_id, row.alt_text, row.caption) for row in db.session.exec(
        select(SheetAttachment).where(SheetAttachment.sheet_id == sheet_id).order_by(SheetAttachment.position))]


def test_an_image_needs_its_alternative_text(in_db):
    with in_db():
        closed = make_closed()
        lead = get(User, closed.lead_id)
        sheet = sheets.start_sheet(get(Application, closed.application_id), lead)
        with pytest.raises(Refused, match="texte alternatif"):
            sheets.set_attachments(sheet, lead, [{"attachment_id": closed.photo_id, "alt_text": "   "}])
        # a document needs none
        sheets.set_attachments(sheet, lead, [{"attachment_id": closed.document_id, "caption": "Guide"},
                                             {"attachment_id": closed.photo_id, "alt_text": "La loge"}])
        assert chosen(sheet.id) == [(closed.document_id, "", "Guide"), (closed.photo_id, "La loge", "")]


def test_only_the_applications_attachments(in_db):
    with in_db():
        closed, elsewhere = make_closed(), make_closed()
        lead = get(User, closed.lead_id)
        sheet = sheets.start_sheet(get(Application, closed.application_id), lead)
        foreign = add_attachment(get(Application, elsewhere.application_id), "x.pdf", "application/pdf", 999999)
        with pytest.raises(Refused):
            sheets.set_attachments(sheet, lead, [{"attachment_id": foreign.id}])


def test_the_form_refuses_an_image_without_text_and_keeps_the_choice(in_db, client, login):
    with in_db():
        closed = make_closed()
        lead = get(User, closed.lead_id)
        sheet = sheets.start_sheet(get(Application, closed.application_id), lead)
        sheet_id = sheet.id
    login(lead)
    page = client.get(f"/sheets/{sheet_id}/attachments").get_data(as_text=True)
    assert "loge.png" in page and "guide.pdf" in page
    data = {"items-0-attachment_id": closed.photo_id, "items-0-chosen": "y", "items-0-alt_text": "",
            "items-1-attachment_id": closed.document_id}
    response = client.post(f"/sheets/{sheet_id}/attachments", data=data)
    assert response.status_code == 422 and "texte alternatif" in response.get_data(as_text=True)
    with in_db():
        assert chosen(sheet_id) == [(closed.photo_id, "", ""), (closed.document_id, "", "")]  # the prefill, unchanged
    data["items-0-alt_text"] = "La loge rénovée, vue de la rue"
    assert client.post(f"/sheets/{sheet_id}/attachments", data=data).status_code == 302
    with in_db():
        assert chosen(sheet_id) == [(closed.photo_id, "La loge rénovée, vue de la rue", "")]


def test_an_image_without_text_blocks_the_submission(in_db):
    with in_db():
        closed = make_closed()
        lead = get(User, closed.lead_id)
        sheet = sheets.start_sheet(get(Application, closed.application_id), lead)
        assert any("loge.png" in reason for reason in sheets.missing(sheet))
