"""Ateliers, Clubs de réflexion, webinars and visits: staff organise them (what they present: the
published sheets, the awarded projects), members of housing bodies register (a capacity, a waiting
list), staff record attendance; invitations and reminders go through the outbox. Public pages list
the upcoming and past events; each has an iCalendar file, and the upcoming ones a feed."""
from fsi.cli import add_commands
from fsi.demo import add_demo_step
from fsi.dissemination.events import cli, demo
from fsi.dissemination.events.blueprint import bp
from fsi.i18n import lazy_gettext as _l
from fsi.nav import add_nav_item


def init_app(app):
    app.register_blueprint(bp)
    add_nav_item("events.index", _l("Ateliers et clubs"), roles={"staff", "admin", "applicant", "reviewer"}, order=45)
    add_commands(cli.remind_events)  # flask fsi remind-events: the reminders before an event
    add_demo_step(61, demo.seed_events)
