"""Committee sessions: scheduling, agenda (grouped by conflicts), attendance, quorum, decisions."""
from decimal import Decimal

from flask_babel import gettext as _
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db, utcnow
from fsi.review.conflicts import conflicts_by_application
from fsi.review.errors import ReviewError
from fsi.review.models import (
    AgendaItem, CommitteeSession, Outcome, Recusal, SessionMember, SessionStatus,
)
from fsi.review.models.sessions import OUTCOME_TRIGGERS


def fire(*args, **kwargs):
    from fsi.workflow.service import fire as workflow_fire

    return workflow_fire(*args, **kwargs)


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


def agenda_of(session):
    """[(AgendaItem, Application)] in agenda order."""
    return db.session.exec(select(AgendaItem, Application).join(Application, Application.id == AgendaItem.application_id)
                           .where(AgendaItem.session_id == session.id)
                           .order_by(AgendaItem.position, AgendaItem.id)).all()


def require_planned(session):
    if session.status != SessionStatus.planned:
        raise ReviewError(_("Cette séance est close."))


def add_to_agenda(session, application, actor):
    """Put a reviewed application on the agenda and fire its ``schedule`` transition together."""
    require_planned(session)
    if application.call_id != session.call_id:
        raise ReviewError(_("Ce dossier relève d'un autre appel à projets."))
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
    require_planned(session)  # the minutes of a closed session are final
    for member in members_of(session):
        member.present = member.user_id in present_ids
        db.session.add(member)
    db.session.flush()


def set_current_item(session, item):
    require_planned(session)
    session.current_item_id = item.id if item else None
    db.session.add(session)
    db.session.flush()


def open_item_for(application_id):
    """The undecided item of a planned session carrying this application, with its session."""
    return db.session.exec(select(AgendaItem, CommitteeSession)
                           .join(CommitteeSession, CommitteeSession.id == AgendaItem.session_id)
                           .where(AgendaItem.application_id == application_id, AgendaItem.outcome.is_(None),
                                  CommitteeSession.status == SessionStatus.planned)
                           .order_by(AgendaItem.id.desc())).first()


def counted_members(session, application):
    """Present members free of conflict on this application: they make the item's quorum."""
    conflicted = set(conflicts_by_application([application])[application.id])
    return [m for m in members_of(session) if m.present and m.user_id not in conflicted]


def decide(item, application, outcome, actor, amount=None, motivation=""):
    """The committee's decision on an item, through the workflow (guards: quorum, amount); the
    effects of fsi.review.effects record it on the item with the quorum and the recusals."""
    session = db.session.get(CommitteeSession, item.session_id)
    require_planned(session)
    if item.outcome is not None or item.application_id != application.id:
        raise ReviewError(_("Une décision a déjà été prise sur ce point."))
    data = {"amount": Decimal(amount)} if outcome == Outcome.approved else None
    fire(application, OUTCOME_TRIGGERS[outcome], actor, comment=(motivation or "").strip() or None, data=data)


def record_recusals(session, item, application):
    conflicts = conflicts_by_application([application])[application.id]
    from fsi.review.models.scoring import CONFLICT_SOURCE_LABELS

    for member in members_of(session):
        if member.user_id in conflicts:
            source, reason = conflicts[member.user_id]
            label = CONFLICT_SOURCE_LABELS[source]["fr"]
            db.session.add(Recusal(item_id=item.id, user_id=member.user_id,
                                   reason=f"{label} — {reason}" if reason else label))


def close_session(session):
    require_planned(session)
    undecided = [item for item, _a in agenda_of(session) if item.outcome is None]
    if undecided:
        raise ReviewError(_("Chaque dossier inscrit doit avoir une décision avant la clôture de la séance."))
    from fsi.review.minutes import audit_head_hash

    session.status, session.closed_at = SessionStatus.closed, utcnow()
    session.current_item_id = None
    session.audit_head_hash = audit_head_hash()
    db.session.add(session)
    db.session.flush()


def proposed_in_session(session):
    return sum((item.amount for item, _a in agenda_of(session) if item.outcome == Outcome.approved and item.amount),
               Decimal(0))
