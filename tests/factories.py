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


def create_call(**kw):
    """An open call (opened yesterday, closes in 30 days) unless told otherwise."""
    from datetime import timedelta
    from decimal import Decimal

    from fsi.calls.models import Call
    from fsi.db import utcnow

    n = next(_counter)
    now = utcnow()
    values = dict(title=f"Appel à projets {n}", opens_at=now - timedelta(days=1),
                  closes_at=now + timedelta(days=30), envelope=Decimal("500000.00"))
    values.update(kw)
    call = Call(**values)
    db.session.add(call)
    db.session.flush()
    return call


def create_application(call=None, organisation=None, state="draft", **kw):
    """An application in ``state`` (set directly: test data, no workflow event is written)."""
    from decimal import Decimal

    from fsi.applications.models import Application

    n = next(_counter)
    call = call or create_call()
    organisation = organisation or create_organisation()
    values = dict(reference=f"TEST-{n:06d}", call_id=call.id, organisation_id=organisation.id, state=state,
                  title=f"Projet {n}", requested_amount=Decimal("40000.00"))
    values.update(kw)
    application = Application(**values)
    db.session.add(application)
    db.session.flush()
    return application
