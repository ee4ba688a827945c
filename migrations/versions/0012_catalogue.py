"""catalogue: the full-text index of the published sheets (an FTS5 virtual table on SQLite; a table
of tsvector columns with a GIN index, built by the ``french`` configuration, on PostgreSQL)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 19:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

#: fsi.dissemination.catalogue.search_index's DDL as of this revision
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE sheet_search USING fts5(title, body, tokenize = 'unicode61')",
)
POSTGRES_DDL = (
    "CREATE TABLE sheet_search ("
    " sheet_id INTEGER NOT NULL CONSTRAINT pk_sheet_search PRIMARY KEY"
    " CONSTRAINT fk_sheet_search_sheet_id_practice_sheet REFERENCES practice_sheet (id) ON DELETE CASCADE,"
    " title_tsv TSVECTOR NOT NULL,"
    " document TSVECTOR NOT NULL)",
    "CREATE INDEX ix_sheet_search_document ON sheet_search USING GIN (document)",
)


def upgrade():
    bind = op.get_bind()
    for statement in POSTGRES_DDL if bind.dialect.name == "postgresql" else SQLITE_DDL:
        op.execute(sa.text(statement))
    # no sheet was published before this revision (practice sheets arrive in 0010, without an
    # index): `flask fsi reindex-catalogue` rebuilds it whenever needed


def downgrade():
    op.execute(sa.text("DROP TABLE IF EXISTS sheet_search"))
