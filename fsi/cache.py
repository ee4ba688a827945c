"""Results that change only when the data does, kept per process until the next write.

The aggregates staff read all day (the dashboard, the panorama, a search's count) cost a pass over
every application; they are the same until someone writes. So every transaction that writes bumps
one counter, ``data_generation``, in the same transaction, just before it commits; a reader takes
the counter first and files what it computes under it. What is filed is at least as new as its
generation, and a commit that changes anything changes the generation: a reader never gets an
answer older than the last write it could see. Each app server keeps its own copy (no shared
cache to run); a write on one server is seen by the others through the counter in the database.

The pages staff reload all day are kept the same way, whole, per visitor (``kept_page``): the
same session asking for the same URL under the same generation gets the same page. It is served
before anything else runs for the request (``serve_kept_page``), the user's loading and the access
checks included: whatever they read is in the database, so under the same generation, for the same
session cookie (or API token) and URL, they answer as they did when the page was made. A write that
changes access without touching a table kept results read (a token revoked) says so
(``changes_access``).
"""
import secrets
import threading
from contextlib import suppress
from dataclasses import dataclass
from functools import wraps

from cachetools import LRUCache, TTLCache
from flask import current_app, g, has_app_context, request, session
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


def watch(session_class):
    """Bump the generation when a session of ``session_class`` commits a write; forget the one
    read when it ends."""
    event.listen(session_class, "before_commit", _bump_if_written)
    event.listen(session_class, "after_commit", _forget)
    event.listen(session_class, "after_rollback", _forget)


#: built once: it runs at every commit that wrote
_BUMP = update(DataGeneration).where(DataGeneration.id == 1).values(value=DataGeneration.value + 1)


#: built once: every request that reads a kept result or page runs it
_GENERATION = select(DataGeneration.value).where(DataGeneration.id == 1)


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
    # only the request's own transaction: a separate one (a token's use noted, a sign-in attempt)
    # ending mid-request must not make the request read the generation again, after its access
    # checks: a page made then would be filed under a generation newer than what they read
    if has_app_context() and g.get("db_session") is session:
        g.pop("data_generation", None)


#: the generation as one more column: a statement every request runs anyway (the signed-in user's,
#: the API token's) brings it along, and the request's first kept result or page needs no round
#: trip of its own (on PostgreSQL, a quarter of a kept page's time)
GENERATION_COLUMN = _GENERATION.scalar_subquery().label("data_generation")


def note_generation(value):
    """The generation a statement read along with its rows (``GENERATION_COLUMN``): the request's,
    unless it read one already."""
    g.setdefault("data_generation", value)


def changes_access(session):
    """The transaction changes who may see what, though it writes only tables no kept result reads
    (``NOT_CACHED``: a token revoked): its commit changes the generation, and kept pages go."""
    session.info.setdefault("tables", set()).add(None)


def current_generation(session):
    """The generation ``session`` sees (read once per request), or None when there is none."""
    if "data_generation" not in g:
        g.data_generation = session.execute(_GENERATION).scalar()
    return g.data_generation


def _reusable():
    """The generation to file a result under, or None when nothing may be kept or read now
    (the transaction wrote, or has changes waiting to be flushed)."""
    from fsi.db import db  # fsi.db imports this module

    session = db.session
    if session.new or session.dirty or session.deleted or db.wrote():
        return None
    return current_generation(session)


def _kept_or_computed(name, entry, compute, keep=lambda result: True):
    """The result kept in the store ``name`` under ``entry``, else ``compute()`` (kept when
    ``keep(result)`` says so)."""
    store, lock = current_app.extensions[name]
    with lock:
        if entry in store:
            return store[entry]
    result = compute()
    if keep(result):
        # bigger than the whole store may hold (cachetools refuses it): served as made
        with lock, suppress(ValueError):
            store[entry] = result
    return result


def until_data_changes(key=None):
    """Decorate a function of the database whose arguments are hashable (or mapped to a hashable
    by ``key(*args, **kwargs)``): its result is kept until the next write. The result is shared by
    every caller: treat it as read-only. Inside a transaction that wrote, nothing is kept or read."""

    def decorate(func):
        name = f"{func.__module__}.{func.__qualname__}"

        @wraps(func)
        def wrapper(*args, **kwargs):
            generation = _reusable()
            if generation is None:
                return func(*args, **kwargs)
            entry = (name, generation, key(*args, **kwargs) if key else (args, tuple(sorted(kwargs.items()))))
            return _kept_or_computed("fsi.cache", entry, lambda: func(*args, **kwargs))

        return wrapper

    return decorate


# --- Whole pages, per visitor ---------------------------------------------------------------

@dataclass(frozen=True)
class KeptPage:
    body: bytes
    status: int
    headers: tuple


def kept_page(view):
    """Decorate a GET view whose page, and whose access checks' answer, are a function of the
    database, the URL and the visitor's session cookie (or API credential) alone: the page is kept
    per app server and served again to the same session for the same URL until the data changes,
    and at most PAGE_CACHE_SECONDS (what the clock changes: today's date, a deadline passed). Put
    it under the access checks (``requires``, ``token_required``): they run when the page is made;
    ``serve_kept_page`` serves it again before anything runs. A page that changes the session (a
    flashed message read, a token created) or sets a cookie is never kept."""
    name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not _may_keep():
            return view(*args, **kwargs)
        generation = _reusable()
        if generation is None:
            return view(*args, **kwargs)
        page = _kept_or_computed("fsi.pages", _page_entry(name, generation),
                                 lambda: _page(view(*args, **kwargs)), keep=_keepable)
        return _response(page) if isinstance(page, KeptPage) else page

    wrapper.kept_as = name  # the decorators above copy it (functools.wraps): serve_kept_page reads it
    return wrapper


def serve_kept_page():
    """The first hook of every request (the API's rate limit aside): a GET of a kept page that this
    session (or API token) was given under the data's current generation gets it again at once,
    before the user is loaded. The generation is read through a connection of its own, cheaper than
    the session's transaction, and noted: a page made after a miss is filed under it, older than
    or as old as what the page reads."""
    name = getattr(current_app.view_functions.get(request.endpoint), "kept_as", None)
    if name is None or not _may_keep():
        return None
    if "data_generation" not in g:
        with current_app.extensions["fsi.db.reads"].connect() as connection:
            g.data_generation = connection.execute(_GENERATION).scalar()
    store, lock = current_app.extensions["fsi.pages"]
    with lock:
        page = store.get(_page_entry(name, g.data_generation))
    return _response(page) if page is not None else None


def _may_keep():
    return request.method == "GET" and current_app.config["PAGE_CACHE_SECONDS"]


def _page_entry(name, generation):
    """What a kept page is filed under: the view, the generation, the URL as sent (not decoded:
    a twentieth of a kept page) and the visitor's credentials as sent (what the access checks read
    besides the database)."""
    environ = request.environ
    return (name, generation, environ["wsgi.url_scheme"], environ.get("HTTP_HOST"), environ.get("SCRIPT_NAME"),
            environ.get("PATH_INFO"), environ.get("QUERY_STRING"),
            request.cookies.get(current_app.config["SESSION_COOKIE_NAME"]), environ.get("HTTP_AUTHORIZATION"))


def _response(page):
    return current_app.response_class(page.body, status=page.status, headers=list(page.headers))


def _page(result):
    """The view's response, as a KeptPage when it may be kept."""
    response = current_app.make_response(result)
    if response.status_code != 200 or response.is_streamed or "Set-Cookie" in response.headers \
            or session.modified:
        return response
    return KeptPage(response.get_data(), response.status_code, tuple(response.headers.items()))


#: a bigger page (an export) is served as it is made
PAGE_MAX_BYTES = 2**20


def _keepable(page):
    return isinstance(page, KeptPage) and len(page.body) <= PAGE_MAX_BYTES


def clear(app):
    """Forget everything kept (tests do, after emptying the tables)."""
    for name in ("fsi.cache", "fsi.pages"):
        store, lock = app.extensions[name]
        with lock:
            store.clear()


def init_app(app):
    app.before_request(serve_kept_page)  # registered before every domain's hooks: runs first
    # each entry a page's aggregates or a search's page: kilobytes
    app.extensions["fsi.cache"] = (LRUCache(maxsize=app.config["CACHE_MAX_ENTRIES"]),
                                   threading.Lock())
    # whole pages, tens of kilobytes each: bounded by their size
    app.extensions["fsi.pages"] = (TTLCache(maxsize=app.config["PAGE_CACHE_BYTES"],
                                            ttl=max(app.config["PAGE_CACHE_SECONDS"], 1), getsizeof=_size),
                                   threading.Lock())


def _size(page):
    return len(page.body) + 512
