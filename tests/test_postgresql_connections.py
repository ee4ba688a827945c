"""PostgreSQL connections (fsi.db): a GET reads outside a transaction and opens one at its first
write or lock; a pooled connection is checked before use only after it sat idle.

These need a PostgreSQL server, whichever database the run is on: outside CI they skip when none
answers; in CI they must run."""
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import SQLModel, select

from fsi import create_app
from fsi.accounts.models import Role, Territory
from fsi.db import db
from tests.conftest import IN_CI, TEST_CONFIG
from tests.databases import PG_SERVER, fresh_postgresql_database
from tests.factories import create_user


def _server_answers():
    engine = create_engine(PG_SERVER)
    try:
        with engine.connect():
            return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def pg_url():
    if not _server_answers():
        if IN_CI:
            pytest.fail(f"CI needs the PostgreSQL server of {PG_SERVER}")
        pytest.skip(f"no PostgreSQL server answers at {PG_SERVER}")
    with fresh_postgresql_database(PG_SERVER, "fsi_connections") as url:
        engine = create_engine(url)
        SQLModel.metadata.create_all(engine)
        engine.dispose()
        yield url


def make_app(url, **config):
    return create_app({**TEST_CONFIG, "DATABASE_URL": url, **config})


@pytest.fixture
def pg_app(pg_url):
    app = make_app(pg_url)
    yield app
    with app.app_context():
        db.session.execute(text('DELETE FROM territory'))
        db.commit()
    app.extensions["fsi.db"].dispose()


def server_side(session):
    """The DB-API connection under ``session``: its autocommit flag and the server's transaction."""
    dbapi_connection = session.connection().connection.dbapi_connection
    return dbapi_connection.autocommit, dbapi_connection.info.transaction_status


def territory(name):
    return Territory(department_code="13", department="Bouches-du-Rhône", region="PACA",
                     epci_kind="Métropole", epci=name)


def test_a_get_reads_without_opening_a_transaction(pg_app):
    with pg_app.test_request_context("/", method="GET"):
        assert db.session.execute(select(Territory)).all() == []
        assert server_side(db.session) == (True, TransactionStatus.IDLE)


def test_a_post_reads_inside_its_transaction(pg_app):
    with pg_app.test_request_context("/", method="POST"):
        db.session.execute(select(Territory)).all()
        assert server_side(db.session) == (False, TransactionStatus.INTRANS)


@pytest.mark.parametrize("write", [
    lambda: (db.session.add(territory("ORM")), db.session.flush()),
    lambda: db.session.execute(text("INSERT INTO territory (department_code, department, region, epci_kind, epci) "
                                    "VALUES ('13', 'B', 'PACA', 'Métropole', 'text')")),
], ids=["orm flush", "textual insert"])
def test_a_get_that_writes_opens_a_transaction_and_keeps_nothing(pg_app, write):
    with pg_app.test_request_context("/", method="GET"):
        db.session.execute(select(Territory)).all()
        write()
        assert server_side(db.session) == (True, TransactionStatus.INTRANS)
        db.rollback()
    with pg_app.app_context():
        assert db.session.execute(select(Territory)).all() == []


def test_a_get_that_locks_holds_the_lock_until_it_ends(pg_app):
    with pg_app.app_context():
        db.session.add(territory("locked"))
        db.commit()
    with pg_app.test_request_context("/", method="GET"):
        db.session.execute(select(Territory).with_for_update()).all()
        assert server_side(db.session) == (True, TransactionStatus.INTRANS)
        with pg_app.app_context():  # another request: the locked row is skipped, not read
            assert db.session.execute(select(Territory).with_for_update(skip_locked=True)).all() == []


def test_a_get_that_streams_its_rows_runs_in_a_transaction(pg_app):
    """A streamed result is a server-side cursor, which PostgreSQL declares only in a transaction."""
    with pg_app.app_context():
        db.session.add_all([territory("one"), territory("two")])
        db.commit()
    with pg_app.test_request_context("/", method="GET"):
        rows = db.session.execute(select(Territory.epci).order_by(Territory.epci).execution_options(yield_per=1))
        assert [epci for (epci,) in rows] == ["one", "two"]
        assert server_side(db.session) == (True, TransactionStatus.INTRANS)


def backend_pid(app):
    with app.test_request_context("/", method="GET"):
        return db.session.execute(text("SELECT pg_backend_pid()")).scalar()


def terminate(url, pid):
    admin = create_engine(url)
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced(pg_url):
    app = make_app(pg_url, DATABASE_PING_IDLE_SECONDS=0)  # every pooled connection counts as idle
    try:
        dropped = backend_pid(app)
        terminate(pg_url, dropped)
        assert backend_pid(app) not in (None, dropped)
    finally:
        app.extensions["fsi.db"].dispose()


def test_a_connection_in_steady_use_is_not_pinged(pg_url):
    """The trade-off of not pinging at every request: a server restart meanwhile fails the one
    request that meets the dead connection; the pool then starts afresh (the page it gets:
    test_a_request_meeting_a_dropped_connection_gets_a_page_saying_to_reload)."""
    app = make_app(pg_url, DATABASE_PING_IDLE_SECONDS=3600)
    try:
        dropped = backend_pid(app)
        terminate(pg_url, dropped)
        with pytest.raises(OperationalError):
            backend_pid(app)
        assert backend_pid(app) not in (None, dropped)
    finally:
        app.extensions["fsi.db"].dispose()


def test_a_request_meeting_a_dropped_connection_gets_a_page_saying_to_reload(pg_url):
    """Signed in: the user is read before the view, and the error page reads it again (the
    menu), which must not go through the failed transaction."""
    app = make_app(pg_url, DATABASE_PING_IDLE_SECONDS=3600)
    app.add_url_rule("/test/backend", "backend", lambda: str(db.session.execute(text("SELECT pg_backend_pid()")).scalar()))
    with app.app_context():
        email = create_user(role=Role.staff).email
        db.commit()
    client = app.test_client()
    try:
        assert client.post("/login", data={"email": email, "password": "password"}).status_code == 302
        dropped = int(client.get("/test/backend").get_data(as_text=True))
        terminate(pg_url, dropped)
        response = client.get("/test/backend")
        assert response.status_code == 503 and response.headers["Retry-After"] == "5"
        page = response.get_data(as_text=True)
        assert "Service momentanément indisponible" in page and "rien n'a été enregistré" in page
        assert email in page or "Se déconnecter" in page  # FSI's page, signed in
        reloaded = client.get("/test/backend")
        assert reloaded.status_code == 200 and int(reloaded.get_data(as_text=True)) != dropped
    finally:
        with app.app_context():
            db.session.execute(text('DELETE FROM "user"'))
            db.commit()
        app.extensions["fsi.db"].dispose()
