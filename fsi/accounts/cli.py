"""``flask fsi create-user`` and ``flask fsi load-territories``."""
import click
from sqlmodel import select

from fsi.accounts import services
from fsi.accounts.forms import PASSWORD_MIN_LENGTH
from fsi.accounts.models import Organisation, Role, User, normalise_email
from fsi.accounts.siren import normalise_siren
from fsi.cli import fsi_cli
from fsi.db import db


@fsi_cli.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="Rôle du compte.")
@click.option("--name", "full_name", help="Nom complet (par défaut : la partie avant @ de l'adresse).")
@click.option("--organisation", "siren", help="SIREN de l'organisme (obligatoire pour un porteur de projet).")
@click.option("--password", help="Mot de passe (demandé, avec confirmation, s'il n'est pas donné).")
def create_user(email, role, full_name, siren, password):
    """Create an account that can sign in at once."""
    email = normalise_email(email)
    if "@" not in email:
        raise click.UsageError(f"Adresse e-mail invalide : {email!r}.")
    if services.user_by_email(email) is not None:
        raise click.ClickException(f"Un compte existe déjà avec l'adresse {email}.")
    organisation = None
    if siren:
        organisation = db.session.exec(
            select(Organisation).where(Organisation.siren == normalise_siren(siren))).first()
        if organisation is None:
            raise click.ClickException(f"Aucun organisme avec le SIREN {siren}.")
    elif role == Role.applicant.value:
        raise click.UsageError("Un porteur de projet doit être rattaché à un organisme : --organisation SIREN.")
    if password is None:
        password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt="Confirmez le mot de passe")
    if len(password) < PASSWORD_MIN_LENGTH:
        raise click.UsageError(f"Le mot de passe doit comporter au moins {PASSWORD_MIN_LENGTH} caractères.")
    user = User(email=email, full_name=full_name or email.split("@")[0], role=Role(role),
                organisation_id=organisation.id if organisation else None,
                password_hash=services.hash_password(password))
    db.session.add(user)
    db.commit()
    where = f" ({organisation.name})" if organisation else ""
    click.echo(f"Compte créé : {email}, rôle {role}{where}.")


@fsi_cli.command("load-territories")
@click.argument("csv_path", required=False, type=click.Path(exists=True, dir_okay=False))
def load_territories(csv_path):
    """Add the departments and EPCI of a CSV (default: the region's reference list)."""
    try:
        added = services.load_territories(csv_path)
    except (KeyError, ValueError) as error:
        raise click.ClickException(f"Fichier de territoires invalide : {error}") from None
    db.commit()
    click.echo(f"{added} territoire(s) ajouté(s).")
