"""``flask fsi lapse-overdue``: run it from cron once a day (after midnight, Paris time)."""
import click

from fsi.applications.operations import lapse_overdue
from fsi.cli import command


@command("lapse-overdue")
def lapse_overdue_command():
    """Close without follow-up the returned or deferred files past the deadline staff set."""
    closed = lapse_overdue()
    click.echo(f"{len(closed)} dossier(s) classé(s) sans suite" + (f" : {', '.join(closed)}" if closed else "."))
