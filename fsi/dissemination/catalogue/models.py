"""The catalogue has no SQLModel table: its search index (``sheet_search``) is an FTS5 virtual table
on SQLite and a table of ``tsvector`` columns on PostgreSQL, created by migration 0012 and, for a
schema made from the models (the tests'), by ``create_all`` through the listener below. Alembic's
comparison leaves the tables named in ``metadata.info["unmapped_tables"]`` alone (migrations/env.py)."""
from sqlalchemy import event
from sqlmodel import SQLModel

from fsi.dissemination.catalogue.search_index import UNMAPPED_TABLES, create_schema, drop_schema

SQLModel.metadata.info.setdefault("unmapped_tables", set()).update(UNMAPPED_TABLES)


@event.listens_for(SQLModel.metadata, "after_create")
def _create_index(target, connection, **kw):
    create_schema(connection)


@event.listens_for(SQLModel.metadata, "before_drop")
def _drop_index(target, connection, **kw):
    drop_schema(connection)


__all__ = []
