"""Internal notes: what staff write on a row for each other, never shown to the applicant."""
from flask_babel import gettext as _
from sqlmodel import select

from fsi.db import db
from fsi.errors import Refused
from fsi.workflow.models import InternalNote
from fsi.workflow.registry import subject_for_row

NOTE_MAX_LENGTH = 5000


def can_write_notes(row, user):
    return bool(getattr(user, "is_staff", False)) and subject_for_row(row).visible_to(row, user)


def add_note(row, author, text):
    text = (text or "").strip()
    if not text:
        raise Refused(_("Écrivez la note."), field="text")
    if len(text) > NOTE_MAX_LENGTH:
        raise Refused(_("%(max)d caractères au plus.", max=NOTE_MAX_LENGTH), field="text")
    note = InternalNote(workflow=subject_for_row(row).workflow, object_id=row.id, author_id=author.id, text=text)
    db.session.add(note)
    db.session.flush()
    return note


def notes_of(workflow, object_id):
    return db.session.exec(select(InternalNote).where(InternalNote.workflow == workflow,
                                                      InternalNote.object_id == object_id)
                           .order_by(InternalNote.created_at, InternalNote.id)).all()
