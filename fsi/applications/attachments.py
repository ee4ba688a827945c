"""Attachments: type checked from the content, zip bombs refused, stored under random names, hashed.

The client's file name is only ever displayed (sanitised) and offered on download; on disk a
file is UPLOAD_FOLDER/applications/<64 random hex>.
"""
import contextlib
import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlmodel import select

from fsi.accounts.models import Role, User
from fsi.applications.models import Attachment
from fsi.db import db
from fsi.errors import Refused
from fsi.operations import StoredFiles

#: content type -> extension offered on download
ALLOWED = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
#: the main part each OOXML kind declares in [Content_Types].xml
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml":
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_ZIP_MEMBER_LIMIT = 1024 * 1024
#: the ZIP-based kinds, checked for what they would unpack to
_ZIPPED = {mime for mime, extension in ALLOWED.items() if extension in ("odt", "ods", "docx", "xlsx")}


class AttachmentRefused(Refused):
    """The file may not be attached; the message is French, for the user."""

    def __init__(self, message):
        super().__init__(message, field="file")


def detect_type(data):
    """The content type read from the bytes themselves, or None when not an allowed type."""
    kind = filetype.guess(data)
    if kind is None:
        return None
    if kind.mime in ("application/pdf", "image/png", "image/jpeg"):
        return kind.mime
    if data[:4] == b"PK\x03\x04":
        return _office_type(data)
    return None


def _office_type(data):
    """ODF declares its type in an uncompressed 'mimetype' member; OOXML in [Content_Types].xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mime = archive.read("mimetype").decode("ascii", "replace").strip()
                return mime if mime in ALLOWED else None
            if "[Content_Types].xml" in names and archive.getinfo("[Content_Types].xml").file_size < _ZIP_MEMBER_LIMIT:
                types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
                for main, mime in _OOXML_MAIN.items():
                    if f'ContentType="{main}"' in types:
                        return mime
    except (zipfile.BadZipFile, KeyError, ValueError, RuntimeError):
        return None
    return None


def check_unpacked_size(data):
    """Refuse a zip bomb: members declaring more than UPLOAD_MAX_UNPACKED_BYTES in all once unpacked,
    or more than UPLOAD_MAX_ZIP_MEMBERS of them. Nothing is unpacked: the declared sizes are read."""
    config = current_app.config
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    if len(members) > config["UPLOAD_MAX_ZIP_MEMBERS"]:
        raise AttachmentRefused(_("Ce document contient trop d'éléments (%(count)d, au plus %(limit)d) : "
                                  "enregistrez-le en PDF avant de le joindre.",
                                  count=len(members), limit=config["UPLOAD_MAX_ZIP_MEMBERS"]))
    limit = config["UPLOAD_MAX_UNPACKED_BYTES"]
    if sum(member.file_size for member in members) > limit:
        raise AttachmentRefused(_("Ce document occuperait plus de %(mb)s Mo une fois décompressé : "
                                  "enregistrez-le en PDF avant de le joindre.",
                                  mb=format_decimal(round(limit / 1024 / 1024, 1))))


_UNSAFE = re.compile(r"[^\w .()'-]+")


def display_name(client_name, extension):
    """A readable, harmless name: no directories, no control characters, our extension."""
    name = unicodedata.normalize("NFC", client_name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:100] or "document"
    return f"{stem}.{extension}"


def storage_dir():
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "applications"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_for(attachment):
    return storage_dir() / attachment.stored_name


def read_upload(stream):
    """The upload's bytes, refusing anything over UPLOAD_MAX_BYTES without reading it all."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise AttachmentRefused(_("Le fichier dépasse la taille maximale (%(mb)s Mo).",
                                  mb=round(limit / 1024 / 1024, 1)))
    if not data:
        raise AttachmentRefused(_("Le fichier est vide."))
    return data


def add_attachment(application, user, upload, label):
    """Check and store ``upload`` (a werkzeug FileStorage); raises AttachmentRefused."""
    data = read_upload(upload.stream)
    content_type = detect_type(data)
    if content_type is None:
        raise AttachmentRefused(_("Ce type de fichier n'est pas accepté : joignez un PDF, un document "
                                  "ODT/ODS, DOCX/XLSX ou une image PNG/JPEG."))
    if content_type in _ZIPPED:
        check_unpacked_size(data)
    stored_name = secrets.token_hex(32)
    path = storage_dir() / stored_name
    with open(path, "xb") as handle:
        handle.write(data)
    db.on_rollback(lambda: discard_file(path))  # no file without its row
    attachment = Attachment(application_id=application.id, label=label or "",
                            filename=display_name(upload.filename, ALLOWED[content_type]),
                            stored_name=stored_name, content_type=content_type, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=user.id)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def remove_attachment(attachment):
    """Delete the row now and the file once the transaction is committed."""
    path = path_for(attachment)
    db.session.delete(attachment)
    db.session.flush()
    db.on_commit(lambda: discard_file(path))


def stored_attachments(sender):
    """The ``stored_files`` answer: every attachment's name under UPLOAD_FOLDER/applications
    (``flask fsi storage check``)."""
    return StoredFiles("applications", set(db.session.exec(select(Attachment.stored_name))))


def discard_file(path):
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def attachments_of(application_id):
    return db.session.exec(select(Attachment).where(Attachment.application_id == application_id)
                           .order_by(Attachment.label, Attachment.id)).all()


def uploaded_by_applicants(attachments):
    """The ids of ``attachments`` an applicant supplied (the others come from the association), in one
    query: the pages say where a file comes from before anyone opens it."""
    uploaders = {a.uploaded_by_id for a in attachments if a.uploaded_by_id is not None}
    if not uploaders:
        return set()
    applicants = set(db.session.exec(select(User.id).where(User.id.in_(uploaders), User.role == Role.applicant)))
    return {a.id for a in attachments if a.uploaded_by_id in applicants}
