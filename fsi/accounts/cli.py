"""``flask fsi create-user``, ``flask fsi reset-two-factor`` and ``flask fsi load-territories``."""
import click

from fsi.accounts import admin_services, second_factor, services
from fsi.accounts.models import Role
from fsi.cli import command


@command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="Rôle du compte.")
@click.option("--name", "full_name", help="Nom complet (par défaut : la partie avant @ de l'adresse).")
@click.option("--organisation", "siren", help="SIREN de l'organisme (obligatoire pour un porteur de projet).")
@click.option("--password", help="Mot de passe (demandé, avec confirmation, s'il n'est pas donné).")
def create_user(email, role, full_name, siren, password):
    """Create an account that can sign in at once (the same rules as an invitation)."""
    organisation = None
    if siren:
        organisation = admin_services.organisation_by_siren(siren)
        if organisation is None:
            raise click.ClickException(f"Aucun organisme avec le SIREN {siren}.")
    if password is None:
        password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt="Confirmez le mot de passe")
    try:
        user = admin_services.create_account(email=email, full_name=full_name, role=role, password=password,
                                             organisation_id=organisation.id if organisation else None)
    except services.FieldError as error:
        option = {"organisation_id": "--organisation", "password": "--password"}.get(error.field, error.field)
        raise click.UsageError(f"{option} : {error.message}") from None
    where = f" ({organisation.name})" if organisation else ""
    click.echo(f"Compte créé : {user.email}, rôle {role}{where}.")


@command("reset-two-factor")
@click.argument("email")
def reset_two_factor(email):
    """Reset a user's second factor (an admin who lost their phone and recovery codes)."""
    user = services.user_by_email(email)
    if user is None:
        raise click.ClickException(f"Aucun compte avec l'adresse {email}.")
    second_factor.reset(None, user)
    click.echo(f"Double authentification de {user.email} réinitialisée : ses sessions sont fermées.")


@command("load-territories")
@click.argument("csv_path", required=False, type=click.Path(exists=True, dir_okay=False))
def load_territories(csv_path):
    """Add the departments and EPCI of a CSV (default: the region's reference list)."""
    try:
        added = services.load_territories(csv_path)
    except (KeyError, ValueError) as error:
        raise click.ClickException(f"Fichier de territoires invalide : {error}") from None
    click.echo(f"{added} territoire(s) ajouté(s).")
