"""The schema comes from Alembic: from an empty database to head, with no drift from the models.

Runs on the suite's engine (SQLite, or PostgreSQL when FSI_TEST_DATABASE_URL is set), each time
in a database of its own, created empty for the test.
"""
import pytest
from alembic import command
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import fsi.models  # noqa: F401  (every table)
from fsi.cli import alembic_config
from fsi.workflow.definitions import state_names
from tests.databases import fresh_database


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new empty database, dropped afterwards."""
    with fresh_database(tmp_path, "fsi_migr") as url:
        yield url


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


def test_the_state_check_holds_every_state_of_every_circuit(app, empty_database_url):
    """A migration rewrites the CHECK constraint when a circuit gains a state: the migrated
    database accepts every state of workflows/ (application.yaml and application_fsi.yaml)."""
    with app.app_context():
        command.upgrade(alembic_config(empty_database_url), "head")
    engine = create_engine(empty_database_url)
    try:
        checks = {c["name"]: c["sqltext"] for c in inspect(engine).get_check_constraints("application")}
    finally:
        engine.dispose()
    assert all(f"'{state}'" in checks["ck_application_state_known"] for state in state_names("application"))
