"""Events for the tests: made through the staff's operation, times relative to now."""
from datetime import timedelta

from sqlmodel import select

from fsi.accounts.models import Role, User
from fsi.db import db, utcnow
from fsi.dissemination.events.models import EventKind
from fsi.dissemination.events.services import create_event
from tests.factories import create_user


def make_event(capacity=None, starts_in=timedelta(days=10), **kw):
    staff = db.session.exec(select(User).where(User.role == Role.staff)).first() or create_user(role=Role.staff)
    starts_at = utcnow() + starts_in
    values = {"kind": EventKind.atelier, "title": "Atelier : l'énergie partagée", "starts_at": starts_at,
              "ends_at": starts_at + timedelta(hours=2), "place": "Marseille", "capacity": capacity,
              "description": "Un **atelier**."}
    values.update(kw)
    sheet_ids, application_ids = values.pop("sheet_ids", ()), values.pop("application_ids", ())
    return create_event(values, staff, sheet_ids=sheet_ids, application_ids=application_ids)
