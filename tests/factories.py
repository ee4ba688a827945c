"""Factory functions: call them inside ``in_db()``; every argument has a sensible default."""
import itertools

from fsi.accounts.models import Organisation, OrganisationKind, Role, User
from fsi.accounts.services import hash_password
from fsi.db import db

_counter = itertools.count(1)


def luhn_siren(seed):
    """A valid SIREN made from an 8-digit seed (adds the Luhn check digit)."""
    body = f"{seed:08d}"[-8:]
    for check in range(10):
        candidate = body + str(check)
        total = 0
        for position, char in enumerate(reversed(candidate)):
            n = int(char) * (2 if position % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def create_organisation(**kw):
    n = next(_counter)
    values = dict(name=f"Organisme {n}", kind=OrganisationKind.oph, siren=luhn_siren(10000000 + n),
                  department_code="13")
    values.update(kw)
    org = Organisation(**values)
    db.session.add(org)
    db.session.flush()
    return org


def create_user(role=Role.applicant, organisation=None, password="password", **kw):
    n = next(_counter)
    if role == Role.applicant and organisation is None:
        organisation = create_organisation()
    values = dict(email=f"user{n}@example.org", full_name=f"Utilisateur {n}", role=role,
                  password_hash=hash_password(password),
                  organisation_id=organisation.id if organisation else None)
    values.update(kw)
    user = User(**values)
    db.session.add(user)
    db.session.flush()
    return user
