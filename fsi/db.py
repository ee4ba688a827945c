"""The database: one engine per application, one session per request (or CLI command).

Operations flush, never commit: the view (or CLI command) that called them commits once,
or the teardown rolls back whatever was left uncommitted.

On PostgreSQL a GET reads outside any transaction, and opens one at its first write. At PostgreSQL's
isolation level (read committed) every statement sees its own snapshot whether or not a transaction
holds it, so the reads see the same data; they just spare the BEGIN and ROLLBACK round trips.
"""
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache

from flask import current_app, g, has_request_context, request
from psycopg import ServerCursor
from psycopg.pq import TransactionStatus
from sqlalchemy import Column, Enum, bindparam, event, exc, types, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.elements import TextClause
from sqlmodel import Session, SQLModel, create_engine

from fsi.cache import watch
from fsi.limits import check_flush, check_values, version_from

#: Named constraints, so that Alembic can alter them later (SQLite batch mode needs names).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(types.TypeDecorator):
    """Stores naive UTC on every engine, hands back aware UTC datetimes."""

    impl = types.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_column(enum_cls, **kw):
    """An Enum stored as its value in a VARCHAR with a CHECK: the same on SQLite and PostgreSQL."""
    return Column(
        Enum(enum_cls, native_enum=False, create_constraint=True, length=20,
             values_callable=lambda e: [m.value for m in e], name=enum_cls.__name__.lower()),
        **kw,
    )


def utcnow():
    return datetime.now(UTC)


#: requests that never write (fsi.web rolls back whatever they tried): on PostgreSQL they read
#: outside a transaction
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Database:
    def init_app(self, app):
        url = app.config["DATABASE_URL"]
        kwargs = {"echo": app.config.get("SQL_ECHO", False)}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        engine = create_engine(url, **kwargs)
        app.extensions["fsi.db"] = app.extensions["fsi.db.reads"] = engine
        if engine.dialect.name == "postgresql":
            _ping_when_idle(engine, app.config["DATABASE_PING_IDLE_SECONDS"])
            event.listen(engine, "before_cursor_execute", _begin_when_needed)
            app.extensions["fsi.db.reads"] = engine.execution_options(isolation_level="AUTOCOMMIT")
        app.teardown_appcontext(self._close_session)

    @property
    def engine(self) -> Engine:
        return current_app.extensions["fsi.db"]

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            reading = has_request_context() and request.method in SAFE_METHODS
            g.db_session = WatchedSession(current_app.extensions["fsi.db.reads" if reading else "fsi.db"],
                                          expire_on_commit=False)
        return g.db_session

    def wrote(self):
        """Whether the current transaction has written anything (flushed rows, UPDATE, DELETE)."""
        return "db_session" in g and g.db_session.info.get("wrote", False)

    def commit(self):
        """Commit the current session's transaction (the request boundary or a CLI command does)."""
        if "db_session" in g:
            g.db_session.commit()
            g.db_session.info.pop("wrote", None)
            _settle(done="after_commit", dropped="after_rollback")

    def rollback(self):
        if "db_session" in g:
            g.db_session.rollback()
            g.db_session.info.pop("wrote", None)
        _settle(done="after_rollback", dropped="after_commit")

    def on_commit(self, func):
        """Run ``func()`` once the current transaction is committed (e.g. delete a removed file)."""
        g.setdefault("after_commit", []).append(func)

    def on_rollback(self, func):
        """Run ``func()`` if the current transaction is rolled back (e.g. delete a file just written)."""
        g.setdefault("after_rollback", []).append(func)

    @contextmanager
    def separate_transaction(self):
        """A session of its own, committed when the block ends: for what must stay written even
        when the request's transaction rolls back (a sign-in attempt, counted by throttling)."""
        with WatchedSession(self.engine, expire_on_commit=False) as session:
            yield session
            session.commit()

    @staticmethod
    def _close_session(exc=None):
        session = g.pop("db_session", None)
        if session is not None:
            session.close()  # rolls back anything not committed
        _settle(done="after_rollback", dropped="after_commit")


class WatchedSession(Session):
    """A session noting whether it wrote, refusing what the columns cannot hold, and changing the
    data's generation (fsi.cache) when it commits a write. The listeners are the class's, set
    once: listening on each new session cost a fifth of a millisecond per request."""


def _note_write(session, flush_context):
    written = [*session.new, *session.dirty, *session.deleted]
    if written:
        _wrote(session, *(type(row).__table__ for row in written))


def _note_bulk_write(orm_execute_state):
    state = orm_execute_state
    if state.is_update or state.is_delete or state.is_insert:
        _wrote(state.session, state.statement.table)
    elif _writing_text(state.statement):
        _wrote(state.session, None)  # which table, the text alone says


def _wrote(session, *tables):
    """Note that ``session`` wrote, and to which tables (fsi.cache asks)."""
    session.info["wrote"] = True
    session.info.setdefault("tables", set()).update(tables)


def _writing_text(statement):
    """A textual INSERT, UPDATE or DELETE (the catalogue's index is written so)."""
    return isinstance(statement, TextClause) and \
        statement.text.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")


event.listen(WatchedSession, "after_flush", _note_write)
event.listen(WatchedSession, "do_orm_execute", _note_bulk_write)
event.listen(WatchedSession, "before_flush", check_flush)
watch(WatchedSession)


def _settle(done, dropped):
    """Run the callbacks waiting for how the transaction ended; forget the others."""
    g.pop(dropped, None)
    for func in g.pop(done, ()):
        func()


db = Database()


class StaleObject(Exception):
    """Someone else changed the row since it was read: the change is refused."""


def bump_version(row, expected_version, **values):
    """Compare-and-swap on ``row.version``: write ``values`` and version+1 only if the row
    still has ``expected_version`` in the database. Raises StaleObject otherwise.

    Works the same on SQLite (writers serialised by the file lock) and PostgreSQL (the second
    UPDATE waits for the first to commit, then re-checks its WHERE clause).
    """
    model = type(row)
    check_values(model, values)
    expected_version = version_from(expected_version)  # not a number a version column holds: -1
    if expected_version < 0:
        raise StaleObject(row)
    result = execute_write(_swap_statement(model.__table__, tuple(sorted(values))),
                           {"_id": row.id, "_expected": expected_version, **values})
    if result.rowcount != 1:
        raise StaleObject(row)
    set_committed_value(row, "version", expected_version + 1)
    for key, value in values.items():
        set_committed_value(row, key, value)


def execute_write(statement, params):
    """Run a Core INSERT or UPDATE (of a table, not a model) on the session's connection and note
    the write as a flush would. The ORM's execution layer around it cost a fifth of a transition,
    which runs two such statements."""
    session = db.session
    result = session.connection().execute(statement, params)
    _wrote(session, statement.table)
    return result


@lru_cache(maxsize=256)
def _swap_statement(table, keys):
    """The compare-and-swap UPDATE of ``table`` writing ``keys``, built once (every transition runs
    one)."""
    return (update(table)
            .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_expected"))
            .values(version=table.c.version + 1, **{key: bindparam(key) for key in keys}))


def _ping_when_idle(engine, idle_seconds):
    """Check that a pooled connection still works before handing it out, when it has been idle for
    ``idle_seconds`` (the server may have restarted meanwhile); one in steady use is not pinged:
    SQLAlchemy's pool_pre_ping would cost a round trip at every request."""

    @event.listens_for(engine, "checkin")
    def note_idle_since(dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, record, proxy):
        idle_since = record.info.get("idle_since")  # None: a new connection, working
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            dbapi_connection.execute("SELECT 1")
            dbapi_connection.rollback()
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError() from error  # the pool takes a fresh connection


def _begin_when_needed(conn, cursor, statement, parameters, context, executemany):
    """A GET reads outside a transaction (autocommit) on PostgreSQL: open one before its first
    statement that needs one. A write, so that it is held until fsi.web rolls it back (a GET never
    writes); a lock, so that it lasts until the request ends; a streamed result (a server-side
    cursor: an export, the audit), which PostgreSQL only declares inside a transaction."""
    dbapi_connection = cursor.connection
    if dbapi_connection.autocommit and dbapi_connection.info.transaction_status == TransactionStatus.IDLE \
            and (isinstance(cursor, ServerCursor) or not _plain_read(statement)):
        dbapi_connection.execute("BEGIN")


def _plain_read(statement):
    head = statement.lstrip()[:6].upper()
    return head == "SELECT" and not any(lock in statement for lock in _LOCKS)


_LOCKS = ("FOR UPDATE", "FOR SHARE", "FOR NO KEY UPDATE", "FOR KEY SHARE")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL lets readers and one writer work at once; SQLite ignores foreign keys unless asked."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
