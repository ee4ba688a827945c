"""The demo step: calls, applications, submissions through the workflow; idempotent."""
from sqlmodel import select

import fsi.accounts.demo  # noqa: F401  (step 10 registered)
from fsi.accounts.demo import seed_accounts
from fsi.applications.demo import CLOSED_CALL, OPEN_CALL, seed_calls_and_applications
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
        assert set(calls) == {OPEN_CALL, CLOSED_CALL}
        assert calls[OPEN_CALL].is_open() and calls[CLOSED_CALL].is_closed()
        assert len(db.session.exec(select(Criterion).where(Criterion.call_id == calls[OPEN_CALL].id)).all()) == 4
        applications = db.session.exec(select(Application).order_by(Application.id)).all()
        assert [a.state for a in applications] == ["submitted", "draft", "submitted"]
        assert len(db.session.exec(select(ApplicationVersion)).all()) == 2
        assert len(db.session.exec(select(Attachment)).all()) == 6
        assert any("FSI-" in line for line in first)
