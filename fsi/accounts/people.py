"""People and organisations as a picker shows them: recognisable (name, e-mail, organisation)
and, when they cannot be picked, why."""
from dataclasses import dataclass

from sqlmodel import select

from fsi.accounts.models import Organisation
from fsi.db import db
from fsi.i18n import lazy_gettext as _l


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    #: what tells two namesakes apart: e-mail and organisation, or SIREN and department
    detail: str
    #: why this one cannot be picked (None: it can)
    unavailable: str | None = None


def organisation_names(ids):
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.exec(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())


def people(users, unavailable=None):
    """Candidates for ``users``; ``unavailable`` maps a user id to why they cannot be picked
    (inactive accounts are never pickable)."""
    unavailable = unavailable or {}
    names = organisation_names(u.organisation_id for u in users)
    return [Candidate(u.id, u.full_name, " · ".join(filter(None, [u.email, names.get(u.organisation_id)])),
                      _l("compte désactivé") if not u.active else unavailable.get(u.id))
            for u in users]


def organisations(rows, unavailable=None):
    unavailable = unavailable or {}
    return [Candidate(o.id, o.name, f"SIREN {o.siren} · {o.department_code}",
                      _l("organisme inactif") if not o.active else unavailable.get(o.id))
            for o in rows]


def pickable_ids(candidates):
    return [c.id for c in candidates if c.unavailable is None]
