"""The catalogue's full-text index of published sheets, one interface over two engines.

SQLite: an FTS5 virtual table ``sheet_search`` (rowid = the sheet's id) holding the Snowball stems of
the folded text (fsi.dissemination.catalogue.french), ranked by bm25 with the title weighing ten
times the body. PostgreSQL: a table ``sheet_search`` with two ``tsvector`` columns built by the
``french`` configuration from the folded text (title alone; title weighted A and body B), a GIN index
on the whole document, ranked by ``ts_rank``. Either way, a query's words are folded the same way as
the indexed text, so « securite », « Sécurités » and « sécurité » find the same sheets.

The index follows the sheets in the caller's transaction: ``index_sheet`` on publication,
``unindex_sheet`` on unpublication (the sheet workflow's effects call them; a published sheet cannot
be edited). The table is not a SQLModel table (a virtual table on SQLite): the migration 0012 and the
tests' schema create it with ``create_schema``; Alembic's comparison ignores ``UNMAPPED_TABLES``.
"""
from sqlalchemy import Float, Integer, text

from fsi.db import db
from fsi.dissemination.catalogue.french import stems, words

#: the index's table (written out in the SQL below: a table name cannot be a bound parameter)
TABLE = "sheet_search"
#: tables the migrations manage by hand (with SQLite's FTS5 shadow tables, named after them)
UNMAPPED_TABLES = (TABLE,)

SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(title, body, tokenize = 'unicode61')",
)
POSTGRES_DDL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    " sheet_id INTEGER NOT NULL CONSTRAINT pk_sheet_search PRIMARY KEY"
    " CONSTRAINT fk_sheet_search_sheet_id_practice_sheet REFERENCES practice_sheet (id) ON DELETE CASCADE,"
    " title_tsv TSVECTOR NOT NULL,"
    " document TSVECTOR NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS ix_sheet_search_document ON {TABLE} USING GIN (document)",
)


def _dialect(bind=None):
    return (bind or db.session.get_bind()).dialect.name


def create_schema(connection):
    """Create the index on ``connection`` (migration 0012, the tests' schema)."""
    for statement in POSTGRES_DDL if _dialect(connection) == "postgresql" else SQLITE_DDL:
        connection.execute(text(statement))


def drop_schema(connection):
    connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))


def empty(connection):
    connection.execute(text("DELETE FROM sheet_search"))


def sheet_texts(sheet):
    """(title, body): what a search looks through."""
    indicators = " ".join(f"{i.get('label', '')} {i.get('measured', '')}" for i in sheet.indicators or ()
                          if isinstance(i, dict))
    body = [sheet.summary, sheet.problem, sheet.actions, sheet.novelty, sheet.budget, sheet.results,
            indicators, sheet.lessons, sheet.reproduce]
    return sheet.title or "", "\n".join(part or "" for part in body)


def index_sheet(sheet):
    """Put ``sheet`` in the index, or refresh it there (flushes in the caller's transaction)."""
    index_sheets([sheet])


def index_sheets(sheets):
    """Put ``sheets`` in the index in one statement per engine round (a rebuild, a bench)."""
    session = db.session
    session.flush()  # the sheets' ids
    rows = []
    postgres = _dialect() == "postgresql"
    for sheet in sheets:
        title, body = sheet_texts(sheet)
        fold = words if postgres else stems
        rows.append({"id": sheet.id, "title": " ".join(fold(title)), "body": " ".join(fold(body))})
    if not rows:
        return
    if postgres:
        session.execute(text(
            "INSERT INTO sheet_search (sheet_id, title_tsv, document) VALUES (:id,"
            " to_tsvector('french', :title),"
            " setweight(to_tsvector('french', :title), 'A') || setweight(to_tsvector('french', :body), 'B'))"
            " ON CONFLICT (sheet_id) DO UPDATE SET title_tsv = excluded.title_tsv, document = excluded.document"),
            rows)
    else:
        session.execute(text("DELETE FROM sheet_search WHERE rowid = :id"), [{"id": row["id"]} for row in rows])
        session.execute(text("INSERT INTO sheet_search (rowid, title, body) VALUES (:id, :title, :body)"), rows)


def unindex_sheet(sheet):
    """Take ``sheet`` out of the index (flushes in the caller's transaction)."""
    if _dialect() == "postgresql":
        db.session.execute(text("DELETE FROM sheet_search WHERE sheet_id = :id"), {"id": sheet.id})
    else:
        db.session.execute(text("DELETE FROM sheet_search WHERE rowid = :id"), {"id": sheet.id})


def query_words(query):
    """The folded words of a query that count (no stop words), at most 12."""
    return words(query)[:12]


def matches(query):
    """The sheets matching every word of ``query``: a subquery (sheet_id, title_hit, rank) — title_hit
    1 when the title holds every word, rank lower for better — or None when the query has no word
    that counts."""
    found = query_words(query)
    if not found:
        return None
    if _dialect() == "postgresql":
        sql = ("SELECT s.sheet_id AS sheet_id, CASE WHEN s.title_tsv @@ q.query THEN 1 ELSE 0 END AS title_hit,"
               " -ts_rank(s.document, q.query) AS rank"
               " FROM sheet_search AS s, plainto_tsquery('french', :q) AS q(query) WHERE s.document @@ q.query")
        params = {"q": " ".join(found)}
    else:
        phrase = " ".join(f'"{stem}"' for stem in dict.fromkeys(stems(" ".join(found))))
        # bm25's weights: a title word weighs ten times a body word (the title hits come first anyway)
        sql = ("SELECT rowid AS sheet_id, CASE WHEN rowid IN"
               " (SELECT rowid FROM sheet_search WHERE sheet_search MATCH :title_q) THEN 1 ELSE 0 END AS title_hit,"
               " bm25(sheet_search, 10.0, 1.0) AS rank FROM sheet_search WHERE sheet_search MATCH :q")
        params = {"q": phrase, "title_q": f"title : ({phrase})"}
    return (text(sql).bindparams(**params)
            .columns(sheet_id=Integer, title_hit=Integer, rank=Float).subquery("found"))


def reindex_all():
    """Rebuild the index from the published sheets (``flask fsi reindex-catalogue``)."""
    from fsi.dissemination.catalogue.queries import published_sheets

    empty(db.session.connection())
    sheets = db.session.scalars(published_sheets()).all()
    index_sheets(sheets)
    return len(sheets)
