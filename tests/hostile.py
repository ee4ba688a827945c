"""Shared by the hostile-input tests: the demo's people and rows, and a cheap snapshot of the
database to show that a refused request wrote nothing."""
import re
from html import unescape

from sqlalchemy import func, select, text
from sqlmodel import SQLModel

from fsi.db import db

DEMO_PASSWORD = "demo-fsi-2026"


def snapshot():
    """Every table's row count, and the highest version of those that have one, in one statement."""
    parts = []
    for table in SQLModel.metadata.sorted_tables:
        parts.append(select(func.count()).select_from(table).scalar_subquery())
        if "version" in table.c:
            parts.append(select(func.coalesce(func.max(table.c.version), 0)).scalar_subquery())
    return tuple(db.session.execute(select(*parts)).one())


def field_error(html, field_id):
    """The error shown next to the field ``field_id``, or None."""
    match = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>(.*?)</', html, re.DOTALL)
    return unescape(match.group(1)).strip() if match else None


def flashed(client, clear=False):
    """The (category, message) pairs waiting in the client's session (taken away if ``clear``)."""
    with client.session_transaction() as session:
        return list(session.pop("_flashes", []) if clear else session.get("_flashes", []))


def signed_in(client):
    with client.session_transaction() as session:
        return "_user_id" in session


def one(model, *where):
    return db.session.execute(select(model).where(*where)).scalars().first()


def raw(sql, **params):
    return db.session.execute(text(sql), params).all()
