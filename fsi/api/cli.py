"""``flask fsi create-token EMAIL [--name NAME]``: a personal API token, printed alone on the last line."""
import click
from sqlmodel import select

from fsi.accounts.models import User, normalise_email
from fsi.api import tokens
from fsi.cli import command
from fsi.db import db


@command("create-token")
@click.argument("email")
@click.option("--name", default="CLI", show_default=True, help="Pour reconnaître le jeton sur la page du compte.")
def create_token(email, name):
    """Create a personal API token for the user EMAIL; it is shown once, on the last line."""
    user = db.session.exec(select(User).where(User.email == normalise_email(email))).first()
    if user is None or not user.active:
        raise click.ClickException(f"Aucun compte actif pour {email}.")
    _token, text = tokens.create(user, name)
    click.echo(f"Jeton « {name} » créé pour {user.email}. Il ne sera plus affiché :")
    click.echo(text)
