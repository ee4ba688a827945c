"""``flask fsi ...``: the commands of an FSI installation."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from fsi.db import db

fsi_cli = AppGroup("fsi", help="Commandes FSI (base de données, démo, comptes, courriels).")

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url=None):
    from alembic.config import Config

    cfg = Config(str(MIGRATIONS / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")  # the modern splitting of prepend_sys_path
    cfg.set_main_option("sqlalchemy.url", (url or current_app.config["DATABASE_URL"]).replace("%", "%%"))
    return cfg


def upgrade_database(url=None):
    from alembic import command

    command.upgrade(alembic_config(url), "head")


@fsi_cli.command("init-db")
def init_db():
    """Create or upgrade the schema to the latest migration, then load the reference territories."""
    from fsi.accounts.services import load_territories

    upgrade_database()
    added = load_territories()
    db.commit()
    click.echo(f"Base de données à jour ({added} territoire(s) ajouté(s)).")


@fsi_cli.command("seed-demo")
def seed_demo():
    """Load the demo data (idempotent) and print the demo logins."""
    import fsi.demo_steps  # noqa: F401  (registers every domain's steps)
    from fsi.demo import steps

    for step in steps():
        for line in step() or ():
            click.echo(line)
    db.commit()
