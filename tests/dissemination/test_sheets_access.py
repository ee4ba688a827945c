"""Who sees a sheet: its lead and staff at every stage; other organisations and reviewers only
once it is published; anonymous visitors only its published body and chosen attachments."""
import pytest

from fsi.accounts.models import User
from fsi.applications import attachments as store
from fsi.applications.models import Attachment
from fsi.workflow.service import fire
from tests.dissemination.sheets_setup import get, make_closed, published_sheet, written_sheet

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _files(closed):
    for attachment_id, data in ((closed.photo_id, PNG), (closed.document_id, b"%PDF-1.4\n")):
        store.path_for(get(Attachment, attachment_id)).write_bytes(data)


@pytest.fixture
def draft(in_db):
    with in_db():
        closed = make_closed()
        sheet = written_sheet(closed)
        _files(closed)
        return closed, sheet.id


@pytest.mark.parametrize("who", ["other_id", "reviewer_id"])
def test_a_draft_is_hidden_from_other_organisations_and_reviewers(draft, in_db, client, login, who):
    closed, sheet_id = draft
    with in_db():
        user = get(User, getattr(closed, who))
    login(user)
    assert client.get(f"/sheets/{sheet_id}").status_code == 404
    assert client.get(f"/sheets/{sheet_id}/edit").status_code == 404
    assert client.get(f"/sheets/{sheet_id}/files/{closed.photo_id}").status_code == 404
    assert client.post(f"/workflow/sheet/{sheet_id}/submit").status_code == 404
    assert "Conciergerie" not in client.get("/sheets/").get_data(as_text=True)  # reviewers: 403, no list


def test_anonymous_visitors_go_to_the_login_page(draft, client):
    closed, sheet_id = draft
    for url in ("/sheets/", f"/sheets/{sheet_id}", f"/sheets/{sheet_id}/edit", f"/sheets/{sheet_id}/reproductions"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    assert client.get(f"/sheets/{sheet_id}/files/{closed.photo_id}").status_code == 404


def test_staff_read_a_draft_but_do_not_write_it(draft, in_db, client, login):
    closed, sheet_id = draft
    with in_db():
        staff = get(User, closed.staff_id)
    login(staff)
    assert client.get(f"/sheets/{sheet_id}").status_code == 200
    assert client.get(f"/sheets/{sheet_id}/edit").status_code == 403


def test_a_published_sheet_is_read_by_all_and_its_chosen_files_are_public(draft, in_db, client, login):
    closed, sheet_id = draft
    with in_db():
        from fsi.dissemination.sheets.models import PracticeSheet

        sheet = get(PracticeSheet, sheet_id)
        fire(sheet, "submit", get(User, closed.lead_id))
        fire(sheet, "publish", get(User, closed.staff_id))
        other = get(User, closed.reviewer_id)
    with client.get(f"/sheets/{sheet_id}/files/{closed.photo_id}") as image:
        assert image.status_code == 200 and image.mimetype == "image/png" and image.data == PNG
        assert "attachment" not in image.headers.get("Content-Disposition", "")
    with client.get(f"/sheets/{sheet_id}/files/{closed.document_id}") as document:
        assert document.status_code == 200 and document.headers["Content-Disposition"].startswith("attachment")
    login(other)
    # another body's reader is sent to the catalogue's page: no history, no reviewers' comments
    response = client.get(f"/sheets/{sheet_id}", follow_redirects=True)
    assert response.request.path.startswith("/catalogue/")
    page = response.get_data(as_text=True)
    assert 'alt="La loge rénovée"' in page and "Camille Martin" in page
    assert client.get(f"/sheets/{sheet_id}/edit").status_code == 403


def test_an_attachment_not_chosen_stays_private(in_db, client):
    with in_db():
        closed = make_closed()
        sheet = published_sheet(closed)
        _files(closed)
        application = get(Attachment, closed.photo_id).application_id
        hidden = Attachment(application_id=application, filename="devis.pdf", stored_name="9" * 64,
                            content_type="application/pdf", size=10, sha256="0" * 64)
        from fsi.db import db

        db.session.add(hidden)
        db.session.flush()
        store.path_for(hidden).write_bytes(b"%PDF-1.4\n")
        sheet_id, hidden_id = sheet.id, hidden.id
    assert client.get(f"/sheets/{sheet_id}/files/{hidden_id}").status_code == 404
    assert client.get(f"/sheets/{sheet_id}/files/{2**40}").status_code == 404  # beyond an id column
    with client.get(f"/sheets/{sheet_id}/files/{closed.photo_id}") as response:
        assert response.status_code == 200


def test_an_unpublished_sheet_is_private_again(in_db, client, login):
    with in_db():
        closed = make_closed()
        sheet = published_sheet(closed)
        _files(closed)
        fire(sheet, "unpublish", get(User, closed.staff_id), comment="Erreur dans les chiffres.")
        sheet_id, other = sheet.id, get(User, closed.other_id)
    assert client.get(f"/sheets/{sheet_id}/files/{closed.photo_id}").status_code == 404
    login(other)
    assert client.get(f"/sheets/{sheet_id}").status_code == 404
