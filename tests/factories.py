"""Factory functions: call them inside ``in_db()``; every argument has a sensible default."""
import itertools

from fsi.accounts.models import Organisation, OrganisationKind, Role, User
from fsi.accounts.services import hash_password
from fsi.accounts.siren import siren_from
from fsi.db import db
from fsi.demo import run_demo_steps

_counter = itertools.count(1)


def luhn_siren(seed):
    """A valid SIREN made from an 8-digit seed (adds the Luhn check digit)."""
    return siren_from(seed)


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
    """An open call (opened yesterday, closes in 30 days) unless told otherwise; the domains give
    it what they attach to a new call (its eligibility checklist), as in production."""
    from datetime import timedelta
    from decimal import Decimal

    from fsi.calls.models import Call
    from fsi.calls.signals import call_created
    from fsi.db import utcnow

    n = next(_counter)
    now = utcnow()
    values = dict(title=f"Appel à projets {n}", opens_at=now - timedelta(days=1),
                  closes_at=now + timedelta(days=30), envelope=Decimal("500000.00"))
    values.update(kw)
    call = Call(**values)
    db.session.add(call)
    db.session.flush()
    call_created.send(call)
    return call


def create_application(call=None, organisation=None, state="draft", **kw):
    """An application in ``state`` (set directly: test data, no workflow event is written); past
    the draft, received yesterday, in its call's circuit."""
    from datetime import timedelta
    from decimal import Decimal

    from fsi.applications.models import Application
    from fsi.db import utcnow

    n = next(_counter)
    call = call or create_call()
    organisation = organisation or create_organisation()
    values = dict(reference=f"TEST-{n:06d}", call_id=call.id, organisation_id=organisation.id, state=state,
                  title=f"Projet {n}", requested_amount=Decimal("40000.00"), circuit=call.circuit,
                  received_at=None if state == "draft" else utcnow() - timedelta(days=1))
    values.update(kw)
    application = Application(**values)
    db.session.add(application)
    db.session.flush()
    return application


# --- calls and applications content (helper C) -------------------------------------------------

def create_open_call(**kw):
    """create_call plus the FSI's default project kinds (rates and caps) and the given extras."""
    from fsi.calls.rules import add_default_kinds

    call = create_call(**kw)
    add_default_kinds(call)
    return call


def create_territory(**kw):
    from fsi.accounts.models import Territory

    n = next(_counter)
    values = dict(department_code="13", department="Bouches-du-Rhône", region="Provence-Alpes-Côte d'Azur",
                  epci_kind="Métropole", epci=f"EPCI de test {n}")
    values.update(kw)
    territory = Territory(**values)
    db.session.add(territory)
    db.session.flush()
    return territory


def fill_application(application, *, kind="innovation", costs=("20000.00",), requested="8000.00",
                     cofundings=(), attachments=None, **kw):
    """Give ``application`` complete content (every section), so that it may be submitted.

    ``costs``: eligible amounts excluding tax (20 % VAT added); ``cofundings``: (funder, public, amount).
    ``attachments``: labels to attach (defaults to the call's required ones), as tiny PDF rows.
    """
    from datetime import date
    from decimal import Decimal

    from fsi.applications.models import Attachment, CoFunding, CostLine, Milestone
    from fsi.calls.models import Call, Theme

    theme = Theme(label_fr=f"Thème {next(_counter)}")
    db.session.add(theme)
    db.session.flush()
    values = dict(contact_name="Camille Martin", contact_email="camille@example.org", summary="Résumé.",
                  description="Description.", innovation="Innovation.", beneficiaries="Locataires.",
                  territory_id=create_territory().id, kind=kind, theme_id=theme.id,
                  start_date=date(2027, 1, 1), end_date=date(2028, 6, 30), expected_results="Résultats.",
                  indicators="Indicateurs.", requested_amount=Decimal(requested) if requested else None)
    values.update(kw)
    for key, value in values.items():
        setattr(application, key, value)
    for i, amount in enumerate(costs):
        amount = Decimal(amount)
        db.session.add(CostLine(application_id=application.id, position=i, category="works", label=f"Dépense {i}",
                                amount_excl_tax=amount, amount_incl_tax=(amount * Decimal("1.2")).quantize(Decimal("0.01")),
                                eligible=True))
    for i, (funder, public, amount) in enumerate(cofundings):
        db.session.add(CoFunding(application_id=application.id, position=i, funder=funder, public=public,
                                 amount=Decimal(amount)))
    db.session.add(Milestone(application_id=application.id, position=0, due_on=date(2027, 6, 1), label="Lancement"))
    call = db.session.get(Call, application.call_id)
    for label in (call.required_attachments if attachments is None else attachments):
        n = next(_counter)
        db.session.add(Attachment(application_id=application.id, label=label, filename="piece.pdf",
                                  stored_name=f"{n:064d}", content_type="application/pdf", size=10, sha256="0" * 64))
    db.session.flush()
    return application


def run_demo(app):
    """``flask fsi seed-demo``'s steps, committed; returns what they printed."""
    with app.test_request_context():
        lines = run_demo_steps()
        db.commit()
    return lines
