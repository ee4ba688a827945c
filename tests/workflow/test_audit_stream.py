"""The audit log at scale: verify streams the log in batches; the head hash a committee session
records is carried from a checkpoint, without replaying the log, and equals verify's."""
from datetime import timedelta

import pytest
from sqlmodel import func, select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db
from fsi.workflow import audit as audit_module
from fsi.workflow.audit import current_head_hash, verify
from fsi.workflow.models import AuditCheckpoint, WorkflowEvent
from fsi.workflow.service import fire
from tests.workflow.test_audit import WALK, audit, tamper


@pytest.fixture
def walked(app, open_guards, people, new_application):
    """As in test_audit: two applications walked through the workflow, and one never moved."""
    ids = [new_application("draft") for _ in range(3)]
    for app_id in ids[:2]:
        for actor, trigger, comment in WALK:
            with app.test_request_context():
                fire(db.session.get(Application, app_id), trigger, db.session.get(User, people[actor]), comment=comment)
                db.commit()
    return ids


@pytest.fixture
def tiny_batches(monkeypatch):
    """Two rows per fetch: every object and every workflow spans several batches."""
    monkeypatch.setattr(audit_module, "STREAM_BATCH", 2)


@pytest.fixture
def settled_at_once(monkeypatch):
    """Every event counts as settled at once (in production: after an hour)."""
    monkeypatch.setattr(audit_module, "SETTLED", timedelta(0))


def test_verify_streams_in_batches_and_still_catches_a_row_moved_without_events(app, walked, tiny_batches):
    result = audit(app)
    assert (result.ok, result.events, result.objects) == (True, 8, 2)
    with app.app_context():
        assert current_head_hash() == result.head_hash
    # the never-moved application comes after the walked ones: the merge of rows (by id) with
    # the events (by object) must still see it
    tamper(app, "UPDATE application SET state = 'eligible' WHERE id = :id", id=walked[2])
    result = audit(app)
    assert not result.ok and f"application #{walked[2]} : état enregistré 'eligible' sans aucun événement" in result.problem


def test_the_head_hash_is_carried_from_a_checkpoint_without_reading_older_events(app, walked, people,
                                                                                 settled_at_once):
    with app.app_context():
        first = current_head_hash(checkpoint=True)
        db.commit()
        checkpoint = db.session.exec(select(AuditCheckpoint)).one()
        last_id = db.session.exec(select(func.max(WorkflowEvent.id))).one()
        assert (checkpoint.upto_event_id, checkpoint.events) == (last_id, 8)
        assert first == verify().head_hash
    with app.test_request_context():
        fire(db.session.get(Application, walked[0]), "withdraw", db.session.get(User, people["owner"]))
        db.commit()
    with app.app_context():
        carried = current_head_hash()
        assert carried != first and carried == verify().head_hash
    # an event before the checkpoint is not read again: editing one changes not the carried
    # head hash, while verify, which reads everything, catches it
    tamper(app, "UPDATE workflow_event SET comment = 'Autre chose' WHERE id = :id", id=last_id)
    with app.app_context():
        assert current_head_hash() == carried
    assert not audit(app).ok


def test_verify_catches_a_checkpoint_that_no_longer_matches_the_log(app, walked, settled_at_once):
    with app.app_context():
        current_head_hash(checkpoint=True)
        db.commit()
    tamper(app, "UPDATE audit_checkpoint SET events = events - 1")
    result = audit(app)
    assert not result.ok and "point de contrôle" in result.problem


def test_a_recent_event_is_never_put_in_a_checkpoint(app, walked):
    with app.app_context():
        head = current_head_hash(checkpoint=True)  # every event is seconds old: none settled yet
        db.commit()
        assert db.session.exec(select(func.count()).select_from(AuditCheckpoint)).one() == 0
        assert head == verify().head_hash
