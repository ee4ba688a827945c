"""The minutes (procès-verbal) of a session: everything the printed page shows."""
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import select

from fsi.accounts.models import Organisation, User
from fsi.calls.models import Call
from fsi.db import db
from fsi.i18n import pick
from fsi.review.conflicts import conflicts_by_application
from fsi.review.envelope import envelope_of
from fsi.review.models import Recusal
from fsi.review.models.scoring import CONFLICT_SOURCE_LABELS
from fsi.review.sessions import agenda_of, member_users


@dataclass
class MinutesItem:
    item: object
    application: object
    organisation: object
    recusals: list  # [(User, reason)]
    counted: int  # members present and free of conflict (quorum for this item)


def recusal_reason(recusal):
    """Why the member left the room: the conflict's source in the reader's language, and what was
    written about it."""
    if recusal.source is None:
        return recusal.reason
    label = pick(CONFLICT_SOURCE_LABELS[recusal.source])
    return f"{label} — {recusal.reason}" if recusal.reason else label


def minutes(session):
    call = db.session.get(Call, session.call_id)
    members = member_users(session)
    users = {user.id: user for _m, user in members}
    agenda = agenda_of(session)
    organisations = {}
    if agenda:
        organisations = {o.id: o for o in db.session.exec(select(Organisation).where(
            Organisation.id.in_({a.organisation_id for _i, a in agenda})))}
    recusals = defaultdict(list)
    if agenda:
        for recusal, user in db.session.exec(select(Recusal, User).join(User, User.id == Recusal.user_id)
                                             .where(Recusal.item_id.in_([i.id for i, _a in agenda]))):
            recusals[recusal.item_id].append((user, recusal_reason(recusal)))
    conflicts = conflicts_by_application([a for _i, a in agenda])
    present = {m.user_id for m, _u in members if m.present}
    items = []
    for item, application in agenda:
        conflicted = set(conflicts[application.id])
        if item.outcome is None:  # not decided yet: show who will have to leave
            recusals[item.id] = [(users[uid], "") for uid in sorted(conflicted) if uid in users]
        counted = item.members_counted if item.members_counted is not None else len(present - conflicted)
        items.append(MinutesItem(item, application, organisations.get(application.organisation_id),
                                 recusals[item.id], counted))
    chair = db.session.get(User, session.chair_id) if session.chair_id else None
    return {"session": session, "call": call, "members": members, "chair": chair, "items": items,
            "envelope": envelope_of(call, session)}
