"""flask fsi audit verify: passes on an untouched log, catches each kind of tampering."""
import pytest
from sqlalchemy import text

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db
from fsi.workflow.audit import verify
from fsi.workflow.service import fire

WALK = [("owner", "submit", None), ("staff", "return_for_completion", "Pièce manquante"),
        ("owner", "complete", None), ("staff", "declare_eligible", "RAS")]


@pytest.fixture
def walked(app, open_guards, people, new_application):
    """Two applications walked through the workflow, and one never moved."""
    ids = [new_application("draft") for _ in range(3)]
    for app_id in ids[:2]:
        for actor, trigger, comment in WALK:
            with app.test_request_context():
                fire(db.session.get(Application, app_id), trigger, db.session.get(User, people[actor]), comment=comment)
                db.commit()
    return ids


def tamper(app, sql, **params):
    with app.app_context():
        db.session.execute(text(sql), params)
        db.commit()


def audit(app):
    with app.app_context():
        return verify()


def run_cli(app):
    return app.test_cli_runner().invoke(args=["fsi", "audit", "verify"])


def test_an_untouched_log_verifies_and_prints_its_head_hash(app, walked):
    result = audit(app)
    assert (result.ok, result.events, result.objects, result.problem) == (True, 8, 2, None)
    assert len(result.head_hash) == 64
    cli = run_cli(app)
    assert cli.exit_code == 0, cli.output
    assert f"Empreinte de tête : {result.head_hash}" in cli.output


def test_head_hash_changes_with_each_new_event(app, walked, people):
    before = audit(app).head_hash
    with app.test_request_context():
        fire(db.session.get(Application, walked[0]), "withdraw", db.session.get(User, people["owner"]))
        db.commit()
    after = audit(app)
    assert after.ok and after.head_hash != before


def test_editing_an_old_event_is_caught(app, walked):
    tamper(app, "UPDATE workflow_event SET comment = 'Rien à signaler' WHERE object_id = :o AND seq = 2",
           o=walked[1])
    result = audit(app)
    assert not result.ok
    assert result.problem.startswith(f"application #{walked[1]}, événement n°2 ")
    assert "empreinte incorrecte" in result.problem
    cli = run_cli(app)
    assert cli.exit_code == 1
    assert f"application #{walked[1]}, événement n°2" in cli.output


def test_rehashing_an_edited_event_breaks_the_chain(app, walked):
    """Even recomputing the edited event's own hash is caught: the next event points to the old one."""
    from sqlmodel import select

    from fsi.workflow.events import event_hash
    from fsi.workflow.models import WorkflowEvent

    with app.app_context():
        event = db.session.exec(select(WorkflowEvent).where(WorkflowEvent.object_id == walked[0],
                                                            WorkflowEvent.seq == 2)).one()
        event.comment = "Réécrit"
        event.hash = event_hash(event)
        db.commit()
    result = audit(app)
    assert not result.ok
    assert result.problem.startswith(f"application #{walked[0]}, événement n°3 ")
    assert "prev_hash ne correspond pas" in result.problem


def test_deleting_an_event_is_caught(app, walked):
    tamper(app, "DELETE FROM workflow_event WHERE object_id = :o AND seq = 2", o=walked[0])
    result = audit(app)
    assert not result.ok
    assert result.problem.startswith(f"application #{walked[0]}, événement n°3 ")
    assert "séquence interrompue (n°2 attendu)" in result.problem


def test_deleting_the_last_event_is_caught(app, walked):
    tamper(app, "DELETE FROM workflow_event WHERE object_id = :o AND seq = 4", o=walked[0])
    result = audit(app)
    assert not result.ok
    assert result.problem == (f"application #{walked[0]}, dernier événement n°3 : état enregistré 'eligible' "
                              f"différent de l'état rejoué 'submitted'")


def test_swapping_two_events_is_caught(app, walked):
    tamper(app, "UPDATE workflow_event SET seq = 99 WHERE object_id = :o AND seq = 1", o=walked[0])
    tamper(app, "UPDATE workflow_event SET seq = 1 WHERE object_id = :o AND seq = 2", o=walked[0])
    tamper(app, "UPDATE workflow_event SET seq = 2 WHERE object_id = :o AND seq = 99", o=walked[0])
    result = audit(app)
    assert not result.ok
    assert result.problem.startswith(f"application #{walked[0]}, événement n°1 ")


def test_changing_a_stored_state_without_an_event_is_caught(app, walked):
    tamper(app, "UPDATE application SET state = 'approved' WHERE id = :o", o=walked[1])
    result = audit(app)
    assert not result.ok
    assert "état enregistré 'approved' différent de l'état rejoué 'eligible'" in result.problem


def test_a_row_moved_without_any_event_is_caught(app, walked):
    tamper(app, "UPDATE application SET state = 'submitted' WHERE id = :o", o=walked[2])
    result = audit(app)
    assert not result.ok
    assert result.problem == f"application #{walked[2]} : état enregistré 'submitted' sans aucun événement ('draft' attendu)"


def test_an_illegal_step_is_caught_even_when_rehashed(app, walked):
    """A forged but well-hashed event that the definition does not allow is still refused."""
    from sqlmodel import select

    from fsi.workflow.events import event_hash
    from fsi.workflow.models import WorkflowEvent

    with app.app_context():
        events = db.session.exec(select(WorkflowEvent).where(WorkflowEvent.object_id == walked[0])
                                 .order_by(WorkflowEvent.seq)).all()
        events[3].trigger, events[3].to_state = "approve", "approved"  # submitted -> approved: no such step
        previous = events[2].hash
        for event in events[3:]:
            event.prev_hash = previous
            event.hash = event_hash(event)
            previous = event.hash
        db.session.get(Application, walked[0]).state = "approved"
        db.commit()
    result = audit(app)
    assert not result.ok
    assert result.problem.startswith(f"application #{walked[0]}, événement n°4 ")
    assert "étape illégale 'approve' submitted -> approved" in result.problem
