"""The database: one engine per application, one session per request (or CLI command).

Operations flush, never commit: the view (or CLI command) that called them commits once,
or the teardown rolls back whatever was left uncommitted.
"""
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache

from flask import current_app, g
from sqlalchemy import Column, Enum, bindparam, event, types, update
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


class Database:
    def init_app(self, app):
        url = app.config["DATABASE_URL"]
        kwargs = {"echo": app.config.get("SQL_ECHO", False)}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs["pool_pre_ping"] = True
        app.extensions["fsi.db"] = create_engine(url, **kwargs)
        app.teardown_appcontext(self._close_session)

    @property
    def engine(self) -> Engine:
        return current_app.extensions["fsi.db"]

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = WatchedSession(self.engine, expire_on_commit=False)
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
    result = db.session.execute(_swap_statement(model, tuple(sorted(values))),
                                {"_id": row.id, "_expected": expected_version, **values})
    if result.rowcount != 1:
        raise StaleObject(row)
    set_committed_value(row, "version", expected_version + 1)
    for key, value in values.items():
        set_committed_value(row, key, value)


@lru_cache(maxsize=256)
def _swap_statement(model, keys):
    """The compare-and-swap UPDATE of ``model`` writing ``keys``, built once (every transition runs
    one)."""
    return (update(model)
            .where(model.id == bindparam("_id"), model.version == bindparam("_expected"))
            .values(version=model.version + 1, **{key: bindparam(key) for key in keys})
            .execution_options(synchronize_session=False))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL lets readers and one writer work at once; SQLite ignores foreign keys unless asked."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
