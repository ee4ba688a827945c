"""The committee's decisions in a session: quorum per item, deciding through the workflow,
recusals, closing, and what the chair and the members see of each item."""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlmodel import select

from fsi.db import db, utcnow
from fsi.i18n import pick
from fsi.review.conflicts import conflicts_by_application
from fsi.review.errors import ReviewError
from fsi.review.models import AgendaItem, CommitteeSession, Outcome, Recusal, SessionMember, SessionStatus
from fsi.review.models.sessions import DECISIONS, OUTCOME_LABELS
from fsi.review.sessions import agenda_of, members_of, require_started
from fsi.workflow.audit import current_head_hash
from fsi.workflow.machine import allows_on
from fsi.workflow.service import fire


def open_items(applications):
    """{application id: (AgendaItem, CommitteeSession) or None}: the undecided item of a planned
    session carrying each application (the latest), in one query."""
    ids = [a.id for a in applications]
    result = dict.fromkeys(ids)
    if ids:
        rows = db.session.exec(select(AgendaItem, CommitteeSession)
                               .join(CommitteeSession, CommitteeSession.id == AgendaItem.session_id)
                               .where(AgendaItem.application_id.in_(ids), AgendaItem.outcome.is_(None),
                                      CommitteeSession.status == SessionStatus.planned)
                               .order_by(AgendaItem.id))
        for item, session in rows:
            result[item.application_id] = (item, session)
    return result


def quorum_counts(applications):
    """{application id: ((item, session), members present and free of conflict) or None}"""
    applications = list(applications)
    found = open_items(applications)
    session_ids = {pair[1].id for pair in found.values() if pair}
    present = {}
    if session_ids:
        for member in db.session.exec(select(SessionMember).where(SessionMember.session_id.in_(session_ids),
                                                                  SessionMember.present.is_(True))):
            present.setdefault(member.session_id, set()).add(member.user_id)
    conflicts = conflicts_by_application(applications)
    return {app_id: None if pair is None else (pair, len(present.get(pair[1].id, set()) - set(conflicts[app_id])))
            for app_id, pair in found.items()}


def next_planned_sessions(call_ids):
    """{call id: the earliest planned session of the call, or None}, in one query."""
    result = dict.fromkeys(call_ids)
    if call_ids:
        rows = db.session.exec(select(CommitteeSession).where(CommitteeSession.call_id.in_(list(call_ids)),
                                                              CommitteeSession.status == SessionStatus.planned)
                               .order_by(CommitteeSession.starts_at.desc()))
        for session in rows:  # the earliest wins
            result[session.call_id] = session
    return result


def counted_members(session, application):
    """Present members free of conflict on this application: they make the item's quorum."""
    conflicted = set(conflicts_by_application([application])[application.id])
    return [m for m in members_of(session) if m.present and m.user_id not in conflicted]


@dataclass
class ItemView:
    """An agenda item as the chair's page shows it: who leaves the room, the quorum, whether a
    decision can be taken now."""

    item: AgendaItem
    application: object
    conflicted: frozenset
    counted: int
    quorum_met: bool
    decidable: bool


def decision_triggers(application):
    """The decisions a session may take on the application now, in its circuit: approve, reject
    or defer in the regional one; give the association's opinion or defer in the national one."""
    return [trigger for trigger in DECISIONS if allows_on(application, trigger)]


def why_not_decidable(session, item, application):
    """Why the session cannot decide this item now (its page shows no decision form), or None."""
    if item.outcome is not None:
        return _("Ce point de l'ordre du jour est déjà décidé.")
    if session.status != SessionStatus.planned:
        return _("La séance est close : ses décisions ne changent plus.")
    if not session.has_started():
        return _("La séance n'a pas encore commencé : attendez son heure ou avancez-la.")
    if not decision_triggers(application):
        return _("Ce dossier n'attend plus de décision de la séance.")
    return None


def item_views(session, agenda, conflicts):
    present = {m.user_id for m in members_of(session) if m.present}
    views = []
    for item, application in agenda:
        counted = len(present - conflicts[application.id])
        decidable = why_not_decidable(session, item, application) is None
        views.append(ItemView(item, application, conflicts[application.id], counted, counted >= session.quorum,
                              decidable))
    return views


def decide(item, application, trigger, actor, comment=None, data=None, expected_version=None):
    """The committee's decision (``trigger``, one of ``decision_triggers``) on an item, through the
    workflow (guards: quorum, opinion, amount); the review domain's effects record it on the item."""
    session = db.session.get(CommitteeSession, item.session_id)
    require_started(session)
    if trigger not in decision_triggers(application):
        raise ReviewError(_("Décision inconnue."))
    if item.outcome is not None or item.application_id != application.id:
        raise ReviewError(_("Une décision a déjà été prise sur ce point."))
    return fire(application, trigger, actor, comment=comment, data=data, expected_version=expected_version)


def record_decision(item, session, application, trigger, actor, comment, amount):
    """The decision, the members counted for the quorum and the recusals, on the item."""
    outcome = DECISIONS[trigger]
    counted = len(counted_members(session, application))
    with db.session.no_autoflush:  # the CHECKs want outcome and decision time written together
        item.outcome, item.motivation = outcome, (comment or "").strip()
        item.amount = Decimal(amount) if outcome == Outcome.approved else None
        item.members_counted = counted
        item.decided_at, item.decided_by_id = utcnow(), getattr(actor, "id", None)
    db.session.add(item)
    record_recusals(session, item, application)
    db.session.flush()


def record_recusals(session, item, application):
    conflicts = conflicts_by_application([application])[application.id]
    for member in members_of(session):
        if member.user_id in conflicts:
            source, reason = conflicts[member.user_id]
            db.session.add(Recusal(item_id=item.id, user_id=member.user_id, source=source, reason=reason or ""))


def close_session(session):
    require_started(session)
    if any(item.outcome is None for item, _a in agenda_of(session)):
        raise ReviewError(_("Chaque dossier inscrit doit avoir une décision avant la clôture de la séance."))
    session.status, session.closed_at = SessionStatus.closed, utcnow()
    session.current_item_id = None
    session.audit_head_hash = current_head_hash(checkpoint=True)  # the printed minutes anchor the audit log
    db.session.add(session)
    db.session.flush()


def current_item_payload(session, user):
    """What a member sees of the item under discussion; nothing of it when conflicted on it."""
    payload = {"status": session.status.value, "item": None, "recused": False}
    item = db.session.get(AgendaItem, session.current_item_id) if session.current_item_id else None
    if item is None:
        return payload
    application = next(a for i, a in agenda_of(session) if i.id == item.id)
    if user.id in conflicts_by_application([application])[application.id]:
        payload["recused"] = True
        return payload
    payload["item"] = {"position": item.position + 1, "reference": application.reference, "title": application.title,
                       "decided": item.outcome is not None,
                       "outcome": pick(OUTCOME_LABELS[item.outcome]) if item.outcome else ""}
    return payload
