"""What the event pages read, a fixed number of statements whatever the number of events: the
lists (upcoming, past), what each event presents — only published sheets, and only awarded
projects' title and organisation — the seats taken, and the reader's own registrations."""
from dataclasses import dataclass, field

from sqlmodel import func, select

from fsi.accounts.models import Organisation, User
from fsi.applications.models import Application
from fsi.calls.models import Theme
from fsi.db import db, utcnow
from fsi.dissemination.events.models import Event, EventProject, EventSheet, Registration, RegistrationStatus
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.workflow import tagged

SHEET_PUBLIC = tagged("sheet", "public")
AWARDED = tagged("application", "awarded")
#: how many past events the public list shows
PAST_SHOWN = 50


@dataclass
class EventRow:
    event: Event
    theme: Theme | None = None
    sheets: list = field(default_factory=list)
    #: (application, organisation) of the awarded projects presented
    projects: list = field(default_factory=list)
    taken: int = 0
    waiting: int = 0
    #: the reader's registration, if any
    mine: Registration | None = None

    @property
    def seats_left(self):
        return None if self.event.capacity is None else max(self.event.capacity - self.taken, 0)


def upcoming_events(now=None, limit=None):
    """The events not yet over, soonest first (cancelled ones included, marked)."""
    stmt = select(Event).where(Event.ends_at > (now or utcnow())).order_by(Event.starts_at, Event.id)
    return db.session.exec(stmt.limit(limit) if limit else stmt).all()


def past_events(now=None, limit=PAST_SHOWN):
    return db.session.exec(select(Event).where(Event.ends_at <= (now or utcnow()))
                           .order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)).all()


def events_presenting(sheet_id):
    """The events where a sheet was (or will be) presented, latest first: its public page names them."""
    return db.session.exec(select(Event).join(EventSheet, EventSheet.event_id == Event.id)
                           .where(EventSheet.sheet_id == sheet_id)
                           .order_by(Event.starts_at.desc(), Event.id.desc())).all()


def rows_for(events, user=None):
    """The events with what they present, their counts and ``user``'s registration: five queries."""
    rows = {event.id: EventRow(event) for event in events}
    if not rows:
        return []
    ids = list(rows)
    theme_ids = {event.theme_id for event in events if event.theme_id}
    themes = {t.id: t for t in db.session.exec(select(Theme).where(Theme.id.in_(theme_ids))).all()} \
        if theme_ids else {}
    for row in rows.values():
        row.theme = themes.get(row.event.theme_id)
    for event_id, sheet in db.session.exec(
            select(EventSheet.event_id, PracticeSheet).join(PracticeSheet, PracticeSheet.id == EventSheet.sheet_id)
            .where(EventSheet.event_id.in_(ids), PracticeSheet.state.in_(SHEET_PUBLIC))
            .order_by(PracticeSheet.title)).all():
        rows[event_id].sheets.append(sheet)
    for event_id, application, organisation in db.session.exec(
            select(EventProject.event_id, Application, Organisation)
            .join(Application, Application.id == EventProject.application_id)
            .join(Organisation, Organisation.id == Application.organisation_id)
            .where(EventProject.event_id.in_(ids), Application.state.in_(AWARDED))
            .order_by(Application.title)).all():
        rows[event_id].projects.append((application, organisation))
    for event_id, status, count in db.session.exec(
            select(Registration.event_id, Registration.status, func.count())
            .where(Registration.event_id.in_(ids)).group_by(Registration.event_id, Registration.status)).all():
        if status == RegistrationStatus.registered:
            rows[event_id].taken = count
        elif status == RegistrationStatus.waitlisted:
            rows[event_id].waiting = count
    if user is not None and getattr(user, "is_authenticated", False):
        for registration in db.session.exec(select(Registration).where(Registration.event_id.in_(ids),
                                                                       Registration.user_id == user.id)).all():
            rows[registration.event_id].mine = registration
    return [rows[event.id] for event in events]


def registrations_of(event):
    """(registration, user, organisation) of everyone who registered, the registered first, then the
    waiting list in its order, then the cancelled."""
    order = {RegistrationStatus.registered: 0, RegistrationStatus.waitlisted: 1, RegistrationStatus.cancelled: 2}
    rows = db.session.exec(
        select(Registration, User, Organisation).join(User, User.id == Registration.user_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(Registration.event_id == event.id).order_by(Registration.queued_at, Registration.id)).all()
    return sorted(rows, key=lambda row: order[row[0].status])


def sheet_choices(current_ids=()):
    """The sheets staff may present: the published ones, and those already chosen."""
    condition = PracticeSheet.state.in_(SHEET_PUBLIC)
    if current_ids:
        condition = condition | PracticeSheet.id.in_(list(current_ids))
    return [(sheet.id, sheet.title) for sheet in
            db.session.exec(select(PracticeSheet).where(condition).order_by(PracticeSheet.title)).all()]


def project_choices():
    """The awarded projects staff may present."""
    return [(application.id, f"{application.reference} — {application.title}") for application in
            db.session.exec(select(Application).where(Application.state.in_(AWARDED))
                            .order_by(Application.reference)).all()]


def theme_choices():
    return db.session.exec(select(Theme).where(Theme.active.is_(True)).order_by(Theme.position, Theme.id)).all()
