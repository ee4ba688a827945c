"""Test harness: a fresh database per run (SQLite by default, PostgreSQL when
FSI_TEST_DATABASE_URL is set), emptied between tests; the real app on top of it."""
import os
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import fsi.models  # noqa: F401  (every table)
from fsi import cache, create_app
from fsi.db import db
from fsi.workflow.definitions import all_workflows
from fsi.workflow.registry import overridden
from tests.databases import PG_URL, empty_tables, fresh_database
from tests.factories import run_demo

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_report_header(config):
    if PG_URL:
        return f"database: postgresql (fresh database on {make_url(PG_URL).host})"
    return "database: sqlite (set FSI_TEST_DATABASE_URL=postgresql+psycopg://... to run on PostgreSQL)"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database of our own for this run: a new SQLite file, or a new PostgreSQL database."""
    with fresh_database(tmp_path_factory.mktemp("db"), "fsi_test") as url:
        yield url


@pytest.fixture(scope="session")
def schema(database_url):
    """Tables created once per run; tests empty them afterwards (migrations are tested apart)."""
    engine = create_engine(database_url)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-not-for-production",
    "WTF_CSRF_ENABLED": False,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "SERVER_NAME": "fsi.test",
    "SERVER_URL": "http://fsi.test",  # the base of links in emails, whatever a request's Host says
}


@pytest.fixture(scope="session")
def shared_app(schema, database_url):
    """One application for the run (building one costs about 0.1 s, mostly compiling its routes)."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url})
    yield app
    app.extensions["fsi.db"].dispose()


@pytest.fixture
def app(shared_app, schema, tmp_path):
    """The application with this test's settings: what a test changes in its config is put back,
    and the tables are emptied afterwards."""
    saved = dict(shared_app.config)
    shared_app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    yield shared_app
    shared_app.config.clear()
    shared_app.config.update(saved)
    empty_tables(schema)
    cache.clear(shared_app)


@pytest.fixture(scope="module")
def demo_app(shared_app, schema, tmp_path_factory):
    """The application with the demo data, loaded once for a module that reads its pages (a
    module uses it as its ``app``); the tables are emptied at the module's end."""
    saved = dict(shared_app.config)
    shared_app.config["UPLOAD_FOLDER"] = str(tmp_path_factory.mktemp("uploads"))
    run_demo(shared_app)
    yield shared_app
    shared_app.config.clear()
    shared_app.config.update(saved)
    empty_tables(schema)
    cache.clear(shared_app)


@pytest.fixture
def new_app(schema, database_url, tmp_path):
    """An application of its own, for a test that adds routes (Flask refuses new routes once an
    application has served a request)."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "UPLOAD_FOLDER": str(tmp_path / "uploads")})
    yield app
    app.extensions["fsi.db"].dispose()
    empty_tables(schema)
    cache.clear(app)


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture(autouse=True)
def _push_request_context():
    """pytest-flask would push one request context for the whole test, so every client call
    would share ``g`` (and our database session) with the test: turn that off."""
    yield


@pytest.fixture
def client(app):
    """A plain test client: pytest-flask's keeps its last request context pushed (``with``), so a
    second client, or the test itself, would share that request's ``g`` and database session."""
    return app.test_client()


@pytest.fixture
def in_db(app):
    """``with in_db() as session:`` runs in its own app context (its own session) and commits at
    the end; a request context on top, so that French messages (flask_babel) render to strings."""

    @contextmanager
    def scope():
        with app.app_context(), app.test_request_context():
            yield db.session
            db.commit()

    return scope


@pytest.fixture
def login(client):
    """``login(user)`` signs the test client in through the real form."""

    def sign_in(user, password="password"):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return sign_in


def allow(ctx):
    return None


@pytest.fixture
def override_guards(app):
    """``override_guards({"name": func, ...})`` replaces registered guards for the test, through the
    registry's public API; the registered ones come back afterwards."""
    stack = []

    def override(guards=None, **kw):
        block = overridden(guards=guards, **kw)
        block.__enter__()
        stack.append(block)

    yield override
    while stack:
        stack.pop().__exit__(None, None, None)


@pytest.fixture
def open_guards(override_guards):
    """Every guard of the definitions as passing: tests of roles, data and the log."""
    override_guards({name: allow for wf in all_workflows() for t in wf.transitions for name in t.guards})
