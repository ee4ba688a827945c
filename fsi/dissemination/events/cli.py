"""``flask fsi remind-events``: run it every hour (or daily) from cron; it sends nothing twice."""
from datetime import UTC, datetime

import click

from fsi.cli import command
from fsi.dissemination.events.mails import remind


@command("remind-events")
@click.option("--now", "now", default=None, metavar="AAAA-MM-JJTHH:MM",
              help="Instant UTC à prendre pour maintenant (rattrapage, essais).")
def remind_events(now):
    """Mail the people registered to an event starting within 48 hours (once each)."""
    instant = datetime.fromisoformat(now).replace(tzinfo=UTC) if now else None
    click.echo(f"{remind(instant)} rappel(s) d'événement mis en file d'envoi.")
