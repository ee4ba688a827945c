"""The schema comes from Alembic: from an empty database to head, with no drift from the models.

Runs on the suite's engine (SQLite, or PostgreSQL when FSI_TEST_DATABASE_URL is set), each time
in a database of its own, created empty for the test.
"""
import uuid

import pytest
from alembic import command
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import fsi.models  # noqa: F401  (every table)
from fsi.cli import alembic_config
from tests.conftest import PG_URL


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new empty database, dropped afterwards."""
    if not PG_URL:
        yield "sqlite:///" + str(tmp_path / "migrations.sqlite3")
        return
    server = make_url(PG_URL)
    name = f"fsi_migr_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def test_upgrade_from_empty_creates_every_table(app, empty_database_url):
    with app.app_context():
        command.upgrade(alembic_config(empty_database_url), "head")
    engine = create_engine(empty_database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(app, empty_database_url):
    """``alembic check``: autogenerate finds nothing to add. Fails while a model changed without
    its migration (``make migration m="..."`` writes it)."""
    with app.app_context():
        cfg = alembic_config(empty_database_url)
        command.upgrade(cfg, "head")
        drift = None
        try:
            command.check(cfg)
        except CommandError as error:
            drift = str(error)
    if drift:
        pytest.fail(f"The models and the migrations differ: {drift[:600]}...")
