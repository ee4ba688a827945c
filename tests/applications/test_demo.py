"""The demo step: calls, applications, submissions through the workflow; idempotent."""
from sqlmodel import select

import fsi.accounts.demo  # noqa: F401  (step 10 registered)
from fsi.accounts.demo import seed_accounts
from fsi.accounts.models import Organisation, OrganisationKind
from fsi.accounts.siren import is_valid_siren
from fsi.applications.budget import totals_for
from fsi.applications.demo import CLOSED_CALL, NATIONAL_CALL, OPEN_CALL, seed_calls_and_applications
from fsi.applications.models import Application, ApplicationVersion, Attachment
from fsi.calls.models import Call, Criterion
from fsi.db import db


def test_demo_step_is_complete_and_idempotent(app):
    with app.app_context():  # like the CLI: an application context only
        seed_accounts()
        first = seed_calls_and_applications()
        db.commit()
        seed_calls_and_applications()
        db.commit()
        calls = {c.title: c for c in db.session.exec(select(Call)).all()}
        assert set(calls) == {OPEN_CALL, NATIONAL_CALL, CLOSED_CALL}
        assert calls[OPEN_CALL].is_open() and calls[CLOSED_CALL].is_closed()
        assert (calls[OPEN_CALL].circuit, calls[NATIONAL_CALL].circuit) == ("application", "application_fsi")
        assert len(db.session.exec(select(Criterion).where(Criterion.call_id == calls[OPEN_CALL].id)).all()) == 4
        applications = db.session.exec(select(Application).order_by(Application.id)).all()
        assert [a.state for a in applications] == ["submitted", "draft", "submitted", "submitted"]
        assert all(a.received_at is not None for a in applications if a.state == "submitted")
        # the small project: 2 500 € HT, 3 000 € TTC, the fund's minimum
        small = applications[-1]
        assert (totals_for(small).total_excl_tax, totals_for(small).total_incl_tax) == (2500, 3000)
        assert len(db.session.exec(select(ApplicationVersion)).all()) == 3
        assert len(db.session.exec(select(Attachment)).all()) == 8
        assert any("FSI-" in line for line in first)
        # each project in its own organisation's territory
        organisations = {o.id: o for o in db.session.exec(select(Organisation))}
        assert all(a.territory_id == organisations[a.organisation_id].territory_id for a in applications)


def test_demo_organisations_cover_the_region_with_invented_sirens(app):
    with app.app_context():
        seed_accounts()
        organisations = db.session.exec(select(Organisation)).all()
        assert {o.department_code for o in organisations} >= {"13", "06", "83", "84", "04", "05", "2A", "2B"}
        assert {o.kind for o in organisations} >= {OrganisationKind.oph, OrganisationKind.esh, OrganisationKind.coop,
                                                   OrganisationKind.sem}
        assert all(is_valid_siren(o.siren) and o.siren.startswith("00") for o in organisations)
        assert all(o.director_name and o.postal_address for o in organisations)
