"""Results that change only when the data does, kept per process until the next write.

The aggregates staff read all day (the dashboard, the panorama, a search's count) cost a pass over
every application; they are the same until someone writes. So every transaction that writes bumps
one counter, ``data_generation``, in the same transaction, just before it commits; a reader takes
the counter first and files what it computes under it. What is filed is at least as new as its
generation, and a commit that changes anything changes the generation: a reader never gets an
answer older than the last write it could see. Each app server keeps its own copy (no shared
cache to run); a write on one server is seen by the others through the counter in the database.
"""
import secrets
import threading
from functools import wraps

from cachetools import LRUCache
from flask import current_app, g, has_app_context
from sqlalchemy import BigInteger, Column, event, insert, update
from sqlmodel import Field, SQLModel, select

#: a table's ``info`` when no kept result reads it: writing only such tables (a sign-in attempt, a
#: mail sent, a token used) leaves the generation as it is, and what is kept stays
NOT_CACHED = {"read_by_kept_results": False}


class DataGeneration(SQLModel, table=True):
    """One row: a number every writing transaction increases."""

    __tablename__ = "data_generation"
    id: int = Field(default=1, primary_key=True)
    value: int = Field(sa_column=Column(BigInteger, nullable=False))


def watch(session):
    """Bump the generation when ``session`` commits a write; forget the one read when it ends."""
    event.listen(session, "before_commit", _bump_if_written)
    event.listen(session, "after_commit", _forget)
    event.listen(session, "after_rollback", _forget)


#: built once: it runs at every commit that wrote
_BUMP = update(DataGeneration).where(DataGeneration.id == 1).values(value=DataGeneration.value + 1)


def _bump_if_written(session):
    # flush first: the counter's row lock is then the last lock the transaction takes, so two
    # writers on PostgreSQL never wait for each other in opposite orders
    session.flush()
    if not session.info.get("wrote") or not any(_read_by_kept_results(t) for t in session.info.get("tables", ())):
        return
    connection = session.connection()  # the transaction's own, without the ORM's execution layers
    if connection.execute(_BUMP).rowcount == 0:  # tables emptied (tests): start from a number never used
        connection.execute(insert(DataGeneration).values(id=1, value=secrets.randbits(48)))


def _read_by_kept_results(table):
    return table is None or table.info.get("read_by_kept_results", True)  # None: a textual write


def _forget(session):
    session.info.pop("tables", None)
    if has_app_context():
        g.pop("data_generation", None)


def current_generation(session):
    """The generation ``session`` sees (read once per request), or None when there is none."""
    if "data_generation" not in g:
        g.data_generation = session.exec(select(DataGeneration.value).where(DataGeneration.id == 1)).first()
    return g.data_generation


def until_data_changes(key=None):
    """Decorate a function of the database whose arguments are hashable (or mapped to a hashable
    by ``key(*args, **kwargs)``): its result is kept until the next write. The result is shared by
    every caller: treat it as read-only. Inside a transaction that wrote, nothing is kept or read."""

    def decorate(func):
        name = f"{func.__module__}.{func.__qualname__}"

        @wraps(func)
        def wrapper(*args, **kwargs):
            from fsi.db import db

            session = db.session
            if session.new or session.dirty or session.deleted or db.wrote():
                return func(*args, **kwargs)
            generation = current_generation(session)
            if generation is None:
                return func(*args, **kwargs)
            entry = (name, generation, key(*args, **kwargs) if key else (args, tuple(sorted(kwargs.items()))))
            store, lock = current_app.extensions["fsi.cache"]
            with lock:
                if entry in store:
                    return store[entry]
            result = func(*args, **kwargs)
            with lock:
                store[entry] = result
            return result

        return wrapper

    return decorate


def clear(app):
    """Forget everything kept (tests do, after emptying the tables)."""
    store, lock = app.extensions["fsi.cache"]
    with lock:
        store.clear()


def init_app(app):
    # each entry a page's aggregates or a search's page: kilobytes
    app.extensions["fsi.cache"] = (LRUCache(maxsize=app.config["CACHE_MAX_ENTRIES"]),
                                   threading.Lock())
