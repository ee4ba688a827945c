"""Review tests: a call with a grid and the FSI kinds, people, applications ready for the committee."""
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest

from fsi.accounts.models import Role
from fsi.applications.models import CostLine
from fsi.calls.models import Criterion
from fsi.calls.rules import add_default_kinds
from fsi.db import db
from tests.factories import create_application, create_call, create_organisation, create_user


def create_review_call(**kw):
    """A call with the FSI kinds and a two-line grid (weights 2 and 1, scales 0–5 and 0–10)."""
    call = create_call(**kw)
    add_default_kinds(call)
    db.session.add(Criterion(call_id=call.id, position=0, label="Innovation", weight=Decimal("2"),
                             scale_min=0, scale_max=5))
    db.session.add(Criterion(call_id=call.id, position=1, label="Impact", weight=Decimal("1"),
                             scale_min=0, scale_max=10))
    db.session.flush()
    return call


def create_review_application(call, organisation=None, state="reviewed", eligible_cost=Decimal("100000"), **kw):
    """An innovation project whose award calculator allows 50 % of ``eligible_cost``, starting
    after its receipt (FSI's automatic eligibility item)."""
    values = dict(kind="innovation", requested_amount=Decimal("50000.00"), start_date=date(2030, 1, 1))
    values.update(kw)
    application = create_application(call=call, organisation=organisation, state=state, **values)
    db.session.add(CostLine(application_id=application.id, category="studies", label="Étude",
                            amount_excl_tax=eligible_cost, amount_incl_tax=eligible_cost * Decimal("1.2")))
    db.session.flush()
    return application


@pytest.fixture
def domains(app):
    """The domains' guards, effects and subjects: registered by the application's factory."""


@pytest.fixture
def in_request(app, domains):
    """``with in_request(): ...`` a request context of its own (French formatting needs one),
    committed at the end."""

    @contextmanager
    def scope():
        with app.test_request_context():
            yield db.session
            db.session.commit()

    return scope


@pytest.fixture
def people(in_db, domains):
    """ids of: staff, four reviewers (r3 belongs to the applicant organisation), the applicant."""
    with in_db():
        org = create_organisation(name="Habitat Test")
        other = create_organisation(name="Autre organisme")
        call = create_review_call(envelope=Decimal("100000.00"))
        ids = {
            "staff": create_user(Role.staff).id,
            "r1": create_user(Role.reviewer, full_name="Alice Relectrice").id,
            "r2": create_user(Role.reviewer, full_name="Bruno Relecteur").id,
            "r3": create_user(Role.reviewer, organisation=org, full_name="Chloé Conflit").id,
            "r4": create_user(Role.reviewer, organisation=other, full_name="Denis Relecteur").id,
            "applicant": create_user(Role.applicant, organisation=org).id,
        }
        ids.update(org_id=org.id, other_org_id=other.id, call_id=call.id)
        return ids


@pytest.fixture
def open_submission(override_guards, domains):
    """The applications domain's submission guards (call open, form complete) as passing: review
    tests walk applications through the real workflow without filling the whole form."""
    override_guards({name: lambda ctx: None for name in ("call_open", "application_complete")})
