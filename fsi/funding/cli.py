"""``flask fsi remind``: run it once a day from cron (twice, or on two servers, sends nothing twice)."""
from datetime import UTC, datetime

import click

from fsi.cli import command
from fsi.funding.reminders import remind as queue_reminders


@command("remind")
@click.option("--now", "now", default=None, metavar="AAAA-MM-JJTHH:MM",
              help="Instant UTC à prendre pour maintenant (rattrapage, essais).")
def remind(now):
    """Mail the project leads about their reports (30 and 7 days before, then overdue) and each
    staff member one digest of what is overdue; the mails go through the outbox."""
    instant = datetime.fromisoformat(now).replace(tzinfo=UTC) if now else None
    leads, staff = queue_reminders(instant)
    click.echo(f"{leads} rappel(s) de rapport, {staff} récapitulatif(s) pour l'équipe mis en file d'envoi.")
