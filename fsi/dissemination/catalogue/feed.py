"""The Atom feed of newly published sheets (feedgen)."""
from feedgen.feed import FeedGenerator
from flask_babel import gettext as _

from fsi.accounts.models import Organisation
from fsi.applications.models import Application
from fsi.db import db, utcnow
from fsi.dissemination.catalogue.queries import published_sheets
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.mail.render import absolute_url

FEED_SIZE = 30


def latest(limit):
    """[(sheet, organisation name)] of the newest published sheets."""
    statement = (published_sheets().add_columns(Organisation.name)
                 .join(Application, Application.id == PracticeSheet.application_id)
                 .join(Organisation, Organisation.id == Application.organisation_id)
                 .order_by(PracticeSheet.published_at.desc(), PracticeSheet.id.desc()).limit(limit))
    return db.session.execute(statement).all()


def atom(language="fr"):
    """The feed's XML (bytes)."""
    entries = latest(FEED_SIZE)
    feed = FeedGenerator()
    feed.id(absolute_url("catalogue.feed_atom"))
    feed.title(_("FSI · Fiches d'expérience publiées"))
    feed.subtitle(_("Ce que les projets financés par le Fonds de soutien à l'innovation ont appris."))
    feed.link(href=absolute_url("catalogue.feed_atom"), rel="self", type="application/atom+xml")
    feed.link(href=absolute_url("catalogue.search"), rel="alternate", type="text/html")
    feed.language(language)
    feed.author({"name": "FSI"})
    feed.updated(entries[0][0].published_at if entries else utcnow())
    for sheet, organisation in reversed(entries):  # feedgen puts the last added first
        url = absolute_url("catalogue.sheet", slug=sheet.slug)
        entry = feed.add_entry()
        entry.id(url)
        entry.title(sheet.title)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.summary(sheet.summary or sheet.title)
        entry.author({"name": organisation})
        entry.published(sheet.published_at)
        entry.updated(sheet.published_at)
    return feed.atom_str(pretty=True)


__all__ = ["atom", "latest"]
