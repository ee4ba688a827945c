"""Alembic environment: the target is SQLModel's metadata with every FSI table imported."""
from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import fsi.models  # noqa: F401  (imports every table)

config = context.config
if not config.get_main_option("sqlalchemy.url"):
    # `alembic -c migrations/alembic.ini revision --autogenerate` from a shell: use the app's settings
    from fsi import create_app

    config.set_main_option("sqlalchemy.url", create_app().config["DATABASE_URL"].replace("%", "%%"))
target_metadata = SQLModel.metadata


def include_name(name, type_, parent_names):
    """Autogenerate leaves alone the tables a migration manages by hand (``unmapped_tables``: the
    catalogue's full-text index, with the shadow tables SQLite's FTS5 names after it)."""
    unmapped = target_metadata.info.get("unmapped_tables", ())
    return type_ != "table" or not any(name == t or name.startswith(t + "_") for t in unmapped)


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = config.attributes.get("connection")
    if connectable is None:
        connectable = engine_from_config(config.get_section(config.config_ini_section, {}),
                                         prefix="sqlalchemy.", poolclass=pool.NullPool)
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection):
    # batch mode lets later migrations alter tables on SQLite too
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
