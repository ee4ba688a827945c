"""Staff's operations on events: create, edit (compare-and-swap on ``version``), cancel; what an
event presents (sheets, projects). Operations flush, never commit."""
import re
import unicodedata
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import delete
from sqlmodel import select

from fsi.db import bump_version, db, utcnow
from fsi.dissemination.events.mails import mail_cancelled
from fsi.dissemination.events.models import Event, EventProject, EventSheet
from fsi.dissemination.events.registrations import lock, promote_waitlisted, seats_taken
from fsi.errors import Refused

#: the columns a staff form writes
EVENT_FIELDS = ("kind", "title", "starts_at", "ends_at", "place", "video_url", "theme_id", "description", "capacity")
SLUG_MAX = 80


def slugify(text):
    """« Club de réflexion : l'énergie » -> "club-de-reflexion-l-energie" (ASCII, at most 80)."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:SLUG_MAX].strip("-")
    return slug or "evenement"


def _check(values):
    """What the columns cannot say: the end after the start, a place or a link, an http(s) link."""
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        raise Refused(_("La fin doit suivre le début."), field="ends_at")
    url = (values.get("video_url") or "").strip()
    values["video_url"] = url
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        raise Refused(_("Le lien doit commencer par https:// ou http://."), field="video_url")
    if not url and not (values.get("place") or "").strip():
        raise Refused(_("Indiquez le lieu ou le lien de la visioconférence."), field="place")
    capacity = values.get("capacity")
    if capacity is not None and capacity < 1:
        raise Refused(_("La capacité doit être d'au moins une place."), field="capacity")


def _link(event, sheet_ids, application_ids):
    db.session.execute(delete(EventSheet).where(EventSheet.event_id == event.id))
    db.session.execute(delete(EventProject).where(EventProject.event_id == event.id))
    for sheet_id in dict.fromkeys(sheet_ids or ()):
        db.session.add(EventSheet(event_id=event.id, sheet_id=sheet_id))
    for application_id in dict.fromkeys(application_ids or ()):
        db.session.add(EventProject(event_id=event.id, application_id=application_id))
    db.session.flush()


def create_event(values, user, *, sheet_ids=(), application_ids=()):
    values = {k: v for k, v in values.items() if k in EVENT_FIELDS}
    _check(values)
    event = Event(**values, slug=slugify(values.get("title")), created_by_id=user.id)
    db.session.add(event)
    db.session.flush()
    _link(event, sheet_ids, application_ids)
    return event


def update_event(event, expected_version, values, *, sheet_ids=(), application_ids=()):
    """Edit the event; a larger capacity lets the waiting list in (each promoted person is mailed),
    a capacity below the seats already taken is refused."""
    values = {k: v for k, v in values.items() if k in EVENT_FIELDS}
    _check(values)
    lock(event)
    taken = seats_taken(event)
    if values.get("capacity") is not None and values["capacity"] < taken:
        raise Refused(_("%(count)d personnes sont déjà inscrites : la capacité ne peut pas être inférieure.",
                        count=taken), field="capacity")
    values["slug"] = slugify(values.get("title", event.title))
    bump_version(event, expected_version, **values)
    _link(event, sheet_ids, application_ids)
    promote_waitlisted(event)
    return event


def cancel_event(event, expected_version, reason):
    """Cancel the event (it stays listed, marked cancelled); everyone registered or waiting is told."""
    if event.cancelled_at is not None:
        raise Refused(_("Cet événement est déjà annulé."))
    if not (reason or "").strip():
        raise Refused(_("Indiquez la raison de l'annulation."), field="reason")
    bump_version(event, expected_version, cancelled_at=utcnow(), cancel_reason=reason.strip())
    mail_cancelled(event)
    return event


def linked_ids(event):
    sheet_ids = db.session.exec(select(EventSheet.sheet_id).where(EventSheet.event_id == event.id)).all()
    application_ids = db.session.exec(select(EventProject.application_id)
                                      .where(EventProject.event_id == event.id)).all()
    return list(sheet_ids), list(application_ids)
