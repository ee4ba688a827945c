"""Databases of a test run's own: a new SQLite file, or a new database on the PostgreSQL server
named by FSI_TEST_DATABASE_URL, created empty and dropped afterwards."""
import os
import uuid
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

PG_URL = os.environ.get("FSI_TEST_DATABASE_URL")
#: the server a test that needs PostgreSQL uses when the run is on SQLite (CI has one there)
PG_SERVER = PG_URL or "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def fresh_database(directory, prefix):
    """Yields the URL of a new empty database (``directory`` holds the SQLite file)."""
    if not PG_URL:
        yield "sqlite:///" + str(directory / f"{prefix}.sqlite3")
        return
    with fresh_postgresql_database(PG_URL, prefix) as url:
        yield url


@contextmanager
def fresh_postgresql_database(server_url, prefix):
    """Yields the URL of a new empty database on the PostgreSQL server of ``server_url``."""
    server = make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
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


def empty_tables(engine):
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))
        # tables outside the models (the catalogue's search index; TRUNCATE ... CASCADE empties it
        # on PostgreSQL through its foreign key, DELETE anyway for both)
        for table in SQLModel.metadata.info.get("unmapped_tables", ()):
            conn.execute(text(f'DELETE FROM "{table}"'))
