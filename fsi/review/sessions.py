"""Committee sessions: scheduling, members, the agenda (grouped by conflicts) and attendance."""
from flask_babel import gettext as _
from sqlmodel import or_, select

from fsi.accounts.models import Role, User
from fsi.accounts.people import people
from fsi.applications.models import Application
from fsi.db import db, utcnow
from fsi.formatting import moment
from fsi.review.conflicts import conflicts_by_application
from fsi.review.errors import ReviewError
from fsi.review.models import AgendaItem, CommitteeSession, SessionMember, SessionStatus
from fsi.workflow import tagged
from fsi.workflow.service import fire

#: reviewed applications waiting for a session's agenda
AWAITING_SESSION = tagged("application", "awaiting_session")


def create_session(call, title, starts_at, place, quorum, chair_id, member_ids):
    if quorum < 1:
        raise ReviewError(_("Le quorum doit être d'au moins un membre."))
    session = CommitteeSession(call_id=call.id, title=title.strip(), starts_at=starts_at, place=place.strip(),
                               quorum=quorum, chair_id=chair_id)
    db.session.add(session)
    db.session.flush()
    set_members(session, set(member_ids) | ({chair_id} if chair_id else set()))
    return session


def update_session(session, title, starts_at, place, quorum, chair_id, member_ids):
    require_planned(session)
    if quorum < 1:
        raise ReviewError(_("Le quorum doit être d'au moins un membre."))
    session.title, session.starts_at, session.place = title.strip(), starts_at, place.strip()
    session.quorum, session.chair_id = quorum, chair_id
    db.session.add(session)
    set_members(session, set(member_ids) | ({chair_id} if chair_id else set()))
    order_agenda(session)  # the groups of members leaving the room may have changed


def member_candidates():
    """Who may sit in a session (committee members and staff) as a picker shows them, by name;
    a deactivated account is shown but cannot be picked."""
    return people(db.session.exec(select(User).where(or_(
        User.role == Role.reviewer, User.role == Role.staff, User.role == Role.admin))
        .order_by(User.full_name, User.id)).all())


def set_members(session, user_ids):
    current = {m.user_id: m for m in members_of(session)}
    for user_id, member in current.items():
        if user_id not in user_ids:
            db.session.delete(member)
    for user_id in user_ids - set(current):
        db.session.add(SessionMember(session_id=session.id, user_id=user_id))
    db.session.flush()


def members_of(session):
    return db.session.exec(select(SessionMember).where(SessionMember.session_id == session.id)
                           .order_by(SessionMember.id)).all()


def member_users(session):
    """[(SessionMember, User)] by name."""
    return db.session.exec(select(SessionMember, User).join(User, User.id == SessionMember.user_id)
                           .where(SessionMember.session_id == session.id).order_by(User.full_name)).all()


def is_session_member(session, user):
    return db.session.exec(select(SessionMember.id).where(
        SessionMember.session_id == session.id, SessionMember.user_id == user.id)).first() is not None


def sessions_for(user):
    """The sessions a user may open: every one for staff, their own for members; latest first."""
    query = select(CommitteeSession).order_by(CommitteeSession.starts_at.desc())
    if not user.is_staff:
        query = query.join(SessionMember, SessionMember.session_id == CommitteeSession.id).where(
            SessionMember.user_id == user.id)
    return db.session.exec(query).all()


def agenda_of(session):
    """[(AgendaItem, Application)] in agenda order."""
    return db.session.exec(select(AgendaItem, Application)
                           .join(Application, Application.id == AgendaItem.application_id)
                           .where(AgendaItem.session_id == session.id)
                           .order_by(AgendaItem.position, AgendaItem.id)).all()


def agenda_candidates(session):
    """The call's reviewed applications that may go on this session's agenda."""
    on_agenda = select(AgendaItem.application_id).where(AgendaItem.session_id == session.id)
    return db.session.exec(select(Application).where(
        Application.call_id == session.call_id, Application.state.in_(AWAITING_SESSION),
        Application.id.not_in(on_agenda)).order_by(Application.reference)).all()


def require_planned(session):
    if session.status != SessionStatus.planned:
        raise ReviewError(_("Cette séance est close."))


def require_started(session):
    """A session is run, decided and closed from its date and time on (or once brought forward)."""
    require_planned(session)
    if not session.has_started():
        raise ReviewError(_("La séance n'a pas encore commencé (prévue le %(when)s) : avancez-la si elle se tient "
                            "maintenant.", when=moment(session.starts_at)))


def bring_forward(session, actor):
    """Hold the session now rather than at its planned date; recorded (who, when, the planned
    date), and the letters carry the real date."""
    require_planned(session)
    if session.has_started():
        raise ReviewError(_("La séance a déjà commencé."))
    now = utcnow()
    session.planned_starts_at, session.starts_at = session.starts_at, now
    session.brought_forward_at, session.brought_forward_by_id = now, actor.id
    db.session.add(session)
    db.session.flush()


def add_to_agenda(session, application, actor):
    """Put a reviewed application on the agenda and fire its ``schedule`` transition together."""
    require_planned(session)
    if application.call_id != session.call_id:
        raise ReviewError(_("Ce dossier relève d'un autre appel à projets."))
    if db.session.exec(select(AgendaItem.id).where(AgendaItem.session_id == session.id,
                                                   AgendaItem.application_id == application.id)).first():
        raise ReviewError(_("Ce dossier est déjà inscrit à l'ordre du jour de cette séance."))
    db.session.add(AgendaItem(session_id=session.id, application_id=application.id, position=10_000))
    db.session.flush()
    fire(application, "schedule", actor)
    order_agenda(session)


def member_conflicts(session, agenda):
    """{application id: frozenset of member ids in conflict}"""
    member_ids = {m.user_id for m in members_of(session)}
    conflicts = conflicts_by_application([application for _item, application in agenda])
    return {app_id: frozenset(set(users) & member_ids) for app_id, users in conflicts.items()}


def order_agenda(session):
    """Items without conflict first, then grouped by the exact set of members who must leave
    the room, so each of those leaves once per group; reference order inside a group."""
    agenda = agenda_of(session)
    conflicts = member_conflicts(session, agenda)

    def key(row):
        item, application = row
        group = conflicts[application.id]
        return (item.outcome is None, bool(group), sorted(group), application.reference)

    for position, (item, _application) in enumerate(sorted(agenda, key=key)):
        item.position = position
        db.session.add(item)
    db.session.flush()


def record_attendance(session, present_ids):
    require_started(session)  # taken at the session; the minutes of a closed session are final
    for member in members_of(session):
        member.present = member.user_id in present_ids
        db.session.add(member)
    db.session.flush()


def set_current_item(session, item):
    require_started(session)
    session.current_item_id = item.id if item else None
    db.session.add(session)
    db.session.flush()
