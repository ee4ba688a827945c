"""Attachments: type from the content, size limit, random names on disk, hashes, access."""
import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.applications.attachments import detect_type, display_name
from fsi.applications.models import Attachment
from fsi.db import db
from tests.accounts.helpers import page
from tests.factories import create_application, create_open_call, create_organisation, create_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


ODT = zipped([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<x/>")])
ODS = zipped([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>")])
DOCX = zipped([("[Content_Types].xml", '<Types><Override PartName="/word/document.xml" ContentType='
                "\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"),
               ("word/document.xml", "<w/>")])
XLSX = zipped([("[Content_Types].xml", '<Types><Override PartName="/xl/workbook.xml" ContentType='
                "\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>"),
               ("xl/workbook.xml", "<w/>")])
PLAIN_ZIP = zipped([("notes.txt", "bonjour")])
ODP = zipped([("mimetype", "application/vnd.oasis.opendocument.presentation")])


@pytest.mark.parametrize("data, expected", [
    (PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"),
    (ODT, "application/vnd.oasis.opendocument.text"), (ODS, "application/vnd.oasis.opendocument.spreadsheet"),
    (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (EXE, None), (PLAIN_ZIP, None), (ODP, None), (b"<html><script>alert(1)</script>", None), (b"GIF89a....", None),
])
def test_type_is_read_from_the_content(data, expected):
    assert detect_type(data) == expected


@pytest.mark.parametrize("client_name, extension, expected", [
    ("../../etc/passwd", "pdf", "passwd.pdf"),
    ("..\\..\\windows\\system32\\evil.exe", "pdf", "evil.pdf"),
    ("Délibération du conseil.PDF", "pdf", "Délibération du conseil.pdf"),
    ("rapport<script>.docx", "docx", "rapport_script.docx"),
    ("....", "png", "document.png"),
    ("", "pdf", "document.pdf"),
])
def test_display_names_are_sanitised(client_name, extension, expected):
    assert display_name(client_name, extension) == expected


@pytest.fixture
def setup(in_db, login):
    with in_db():
        organisation = create_organisation()
        user = create_user(role=Role.applicant, organisation=organisation)
        call = create_open_call(required_attachments=["Délibération"])
        application = create_application(call=call, organisation=organisation)
        other = create_user(role=Role.applicant)
    login(user)
    return application.id, other


def upload(client, application_id, data, name, label="Délibération"):
    return client.post(f"/applications/{application_id}/attachments",
                       data={"label": label, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_upload_stores_random_name_and_hash_then_download(client, in_db, app, setup):
    application_id, _other = setup
    response = upload(client, application_id, PDF, "../../../tmp/Délibération.pdf")
    assert response.status_code == 302
    with in_db():
        attachment = db.session.exec(select(Attachment)).one()
        assert attachment.filename == "Délibération.pdf"
        assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
        assert len(attachment.stored_name) == 64 and "Délibération" not in attachment.stored_name
        stored = os.path.join(app.config["UPLOAD_FOLDER"], "applications", attachment.stored_name)
        attachment_id = attachment.id
    assert Path(stored).read_bytes() == PDF
    assert os.listdir(os.path.join(app.config["UPLOAD_FOLDER"], "applications")) == [os.path.basename(stored)]
    with client.get(f"/applications/{application_id}/attachments/{attachment_id}") as response:
        assert response.status_code == 200 and response.data == PDF
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.mimetype == "application/pdf"


@pytest.mark.parametrize("data, name, message", [
    (EXE, "devis.pdf", "Ce type de fichier n&#39;est pas accepté"),
    (b"texte brut", "notes.txt", "Ce type de fichier n&#39;est pas accepté"),
    (PLAIN_ZIP, "archive.docx", "Ce type de fichier n&#39;est pas accepté"),
    (b"", "vide.pdf", "Le fichier est vide."),
], ids=["exe-renamed-pdf", "text", "zip-renamed-docx", "empty"])
def test_refused_uploads(client, in_db, setup, data, name, message):
    application_id, _other = setup
    response = upload(client, application_id, data, name)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text.split('id="file-error"', 1)[1]
    with in_db():
        assert db.session.exec(select(Attachment)).all() == []


def test_too_big_is_refused(client, in_db, app, setup):
    application_id, _other = setup
    app.config["UPLOAD_MAX_BYTES"] = 1024
    response = upload(client, application_id, PDF + b"0" * 1024, "gros.pdf")
    assert "Le fichier dépasse la taille maximale" in response.get_data(as_text=True)
    with in_db():
        assert db.session.exec(select(Attachment)).all() == []


def test_another_organisation_can_neither_download_nor_delete(client, in_db, login, setup):
    application_id, other = setup
    upload(client, application_id, PDF, "piece.pdf")
    with in_db():
        attachment_id = db.session.exec(select(Attachment)).one().id
    client.post("/logout")
    login(other)
    assert client.get(f"/applications/{application_id}/attachments/{attachment_id}").status_code == 404
    assert client.get(f"/applications/{application_id}/attachments").status_code == 404
    assert client.post(f"/applications/{application_id}/attachments/{attachment_id}/delete").status_code == 404
    assert upload(client, application_id, PDF, "intrus.pdf").status_code == 404
    with in_db():
        assert len(db.session.exec(select(Attachment)).all()) == 1


def test_attachment_of_another_application_is_not_reachable_through_mine(client, in_db, setup):
    application_id, other = setup
    with in_db():
        foreign = create_application(organisation=create_organisation())
        row = Attachment(application_id=foreign.id, filename="x.pdf", stored_name="f" * 64,
                         content_type="application/pdf", size=1, sha256="0" * 64)
        db.session.add(row)
        db.session.flush()
        foreign_id = row.id
    assert client.get(f"/applications/{application_id}/attachments/{foreign_id}").status_code == 404


def test_delete_only_while_editable(client, in_db, app, setup):
    application_id, _other = setup
    upload(client, application_id, PDF, "a.pdf")
    upload(client, application_id, PDF, "b.pdf")
    with in_db():
        first, second = db.session.exec(select(Attachment).order_by(Attachment.id)).all()
        stored = os.path.join(app.config["UPLOAD_FOLDER"], "applications", first.stored_name)
        first_id, second_id = first.id, second.id
    assert client.post(f"/applications/{application_id}/attachments/{first_id}/delete").status_code == 302
    assert not os.path.exists(stored)
    with in_db():
        from fsi.applications.models import Application

        db.session.get(Application, application_id).state = "submitted"
    assert client.post(f"/applications/{application_id}/attachments/{second_id}/delete").status_code == 403
    with in_db():
        assert [a.id for a in db.session.exec(select(Attachment)).all()] == [second_id]


def test_a_file_written_by_a_transaction_that_rolls_back_is_removed(app, in_db, setup):
    """No file without its row: the upload's file goes when its transaction is rolled back (a later
    refusal in the same request, a failed commit), and stays when it is committed."""
    from werkzeug.datastructures import FileStorage

    from fsi.accounts.models import User
    from fsi.applications.attachments import add_attachment, path_for
    from fsi.applications.models import Application

    application_id, _other = setup
    with app.test_request_context():
        application = db.session.get(Application, application_id)
        owner = db.session.exec(select(User).where(User.organisation_id == application.organisation_id)).first()
        kept = add_attachment(application, owner, FileStorage(io.BytesIO(PDF), filename="a.pdf"), "")
        db.commit()
        dropped = add_attachment(application, owner, FileStorage(io.BytesIO(PDF), filename="b.pdf"), "")
        kept_path, dropped_path = path_for(kept), path_for(dropped)
        assert dropped_path.exists()
        db.rollback()
        assert kept_path.exists() and not dropped_path.exists()


def declaring(data, name, size):
    """The archive with ``name``'s unpacked size, as its central directory declares it, set to ``size``:
    a zip bomb's header without its gigabytes."""
    out = bytearray(data)
    entry = out.find(b"PK\x01\x02")
    while entry != -1:
        length = int.from_bytes(out[entry + 28:entry + 30], "little")
        if out[entry + 46:entry + 46 + length] == name.encode():
            out[entry + 24:entry + 28] = size.to_bytes(4, "little")
        entry = out.find(b"PK\x01\x02", entry + 4)
    return bytes(out)


@pytest.mark.parametrize("document, member", [(ODT, "content.xml"), (DOCX, "word/document.xml"),
                                              (XLSX, "xl/workbook.xml")], ids=["odt", "docx", "xlsx"])
def test_a_document_declaring_a_huge_unpacked_size_is_refused(client, in_db, setup, document, member):
    application_id, _other = setup
    bomb = declaring(document, member, 101 * 1024 * 1024)  # over the default 100 MB
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo(member).file_size == 101 * 1024 * 1024 and len(bomb) < 1024
    response = upload(client, application_id, bomb, "bombe.odt")
    assert response.status_code == 422
    error = response.get_data(as_text=True).split('id="file-error"', 1)[1]
    assert "Ce document occuperait plus de 100 Mo une fois décompressé" in error
    with in_db():
        assert db.session.exec(select(Attachment)).all() == []
    assert upload(client, application_id, declaring(document, member, 99 * 1024 * 1024), "lourd.odt").status_code == 302


def test_a_document_of_too_many_members_is_refused(client, in_db, app, setup):
    application_id, _other = setup
    app.config["UPLOAD_MAX_ZIP_MEMBERS"] = 3
    crowded = zipped([("mimetype", "application/vnd.oasis.opendocument.spreadsheet")]
                     + [(f"part{n}.xml", "<x/>") for n in range(3)])
    response = upload(client, application_id, crowded, "tableau.ods")
    assert response.status_code == 422
    assert "Ce document contient trop d'éléments (4, au plus 3)" in page(response)
    assert upload(client, application_id, ODS, "tableau.ods").status_code == 302


CAUTION = ("Fichiers fournis par le porteur de projet : ouvrez-les avec la prudence habituelle. "
           "Ils sont toujours téléchargés, jamais affichés dans le navigateur.")


def test_pages_say_who_supplied_each_file_and_downloads_stay_attachments(client, in_db, app, setup):
    from werkzeug.datastructures import FileStorage

    from fsi.applications.attachments import add_attachment
    from fsi.applications.models import Application

    application_id, _other = setup
    with in_db():
        staff = create_user(role=Role.staff)
        add_attachment(db.session.get(Application, application_id), staff,
                       FileStorage(io.BytesIO(PDF), filename="notification.pdf"), "")
    show, files = page(client.get(f"/applications/{application_id}")), page(client.get(f"/applications/{application_id}/attachments"))
    for text in (show, files):
        assert CAUTION not in text  # only the association's file so far
        assert "notification.pdf" in text
    assert "notification.pdf</a>\n    <span class=\"muted\">— fourni par l'association</span>" in show
    upload(client, application_id, PDF, "délibération.pdf")
    show, files = page(client.get(f"/applications/{application_id}")), page(client.get(f"/applications/{application_id}/attachments"))
    for text in (show, files):
        assert text.count(CAUTION) == 1
        assert 'aria-describedby="attachment-caution">délibération.pdf</a>' in text
        assert 'aria-describedby="attachment-caution">notification.pdf' not in text
    assert "délibération.pdf</a>\n    <span class=\"muted\">— fourni par le porteur de projet</span>" in show
    assert "délibération.pdf</a></td>\n    <td>le porteur de projet</td>" in files
    assert "notification.pdf</a></td>\n    <td>l'association</td>" in files
    with in_db():
        attachment_id = db.session.exec(select(Attachment).where(Attachment.filename == "délibération.pdf")).one().id
    with client.get(f"/applications/{application_id}/attachments/{attachment_id}") as response:
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
