"""``flask fsi ...``: the commands of an FSI installation.

Each domain adds its commands in its ``init_app`` (``add_commands``). A command is one
transaction, like a request: ``@command(...)`` commits when the command ends normally and rolls
back when it fails.
"""
from functools import wraps
from pathlib import Path

import click
from alembic import command as alembic
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from fsi import demo
from fsi.db import db

fsi_cli = AppGroup("fsi", help="Commandes FSI (base de données, démo, comptes, courriels).")

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def command(name, **kwargs):
    """A ``flask fsi`` command run as one transaction (see the module docstring)."""

    def decorate(func):
        @wraps(func)
        def transaction(*args, **kw):
            try:
                result = func(*args, **kw)
            except BaseException:
                db.rollback()
                raise
            db.commit()
            return result

        return click.command(name, **kwargs)(with_appcontext(transaction))

    return decorate


def add_commands(*commands):
    for cmd in commands:
        fsi_cli.add_command(cmd)


def alembic_config(url=None):
    cfg = Config(str(MIGRATIONS / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")  # the modern splitting of prepend_sys_path
    cfg.set_main_option("sqlalchemy.url", (url or current_app.config["DATABASE_URL"]).replace("%", "%%"))
    return cfg


def upgrade_database(url=None):
    alembic.upgrade(alembic_config(url), "head")


@command("init-db")
def init_db():
    """Create or upgrade the schema to the latest migration, then load the reference territories."""
    upgrade_database()
    for line in demo.run_setup_steps():
        click.echo(line)
    click.echo("Base de données à jour.")


@command("seed-demo")
def seed_demo():
    """Load the demo data (idempotent) and print the demo logins."""
    for line in demo.run_demo_steps():
        click.echo(line)


def init_app(app):
    add_commands(init_db, seed_demo)
    app.cli.add_command(fsi_cli)
