"""``flask fsi send-mail``: run it from cron every minute or so."""
import click

from fsi.cli import command
from fsi.mail.sender import send_pending


@command("send-mail")
@click.option("--limit", type=int, default=None, help="Nombre maximal de courriels à traiter.")
def send_mail(limit):
    """Send the pending emails that are due; failures are retried later with back-off.

    Each message is committed after its own attempt (see fsi.mail.sender), not at the end."""
    sent, failures = send_pending(limit)
    click.echo(f"{sent} courriel(s) envoyé(s), {failures} échec(s) (nouvel essai plus tard).")
