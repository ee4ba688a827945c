"""``flask fsi audit verify``: recompute every hash and replay every object's events.

Checked for each object: hashes (own and chain), sequence 1, 2, 3... without gaps, each step a
legal transition of the definition the object follows (its circuit's) from the previous state
(the first from the initial state), and the replay ending at the state stored on the row; rows
of a registered subject that left the initial state without any event are caught too. A subject
that gives its events a ``record`` (a review's scores) and ``sealed`` states has each sealed row
compared with the record its last event carries: a score changed behind the log is caught.
"""
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby
from operator import attrgetter

from sqlalchemy import literal as sa_literal
from sqlmodel import select

from fsi.db import db, utcnow
from fsi.workflow.definitions import all_workflows, get_workflow
from fsi.workflow.events import GENESIS_HASH, HeadSum, event_hash, json_safe
from fsi.workflow.models import AuditCheckpoint, WorkflowEvent
from fsi.workflow.registry import SUBJECTS

#: how old every event up to a checkpoint must be: a transaction that took a lower event id and has
#: not committed yet would otherwise be left out of the checkpoint for ever
SETTLED = timedelta(hours=1)
#: rows fetched at a time (a server-side cursor on PostgreSQL): verify's memory does not grow with the log
STREAM_BATCH = 2000
EVENT_COLUMNS = tuple(getattr(WorkflowEvent, c) for c in (
    "id", "workflow", "object_id", "seq", "trigger", "from_state", "to_state", "actor_id", "created_at", "comment",
    "data", "workflow_version", "prev_hash", "hash"))


@dataclass
class AuditResult:
    ok: bool
    head_hash: str | None = None
    objects: int = 0
    events: int = 0
    #: the first problem found, naming the object and the event
    problem: str | None = None


def _object_problem(workflow, object_id, events):
    """The first problem of one object's events (ordered by seq), or None; and the last state."""
    state, previous_hash = workflow.initial, GENESIS_HASH
    for expected_seq, event in enumerate(events, start=1):
        where = f"{workflow.name} #{object_id}, événement n°{event.seq} (id {event.id})"
        if event.seq != expected_seq:
            return f"{where} : séquence interrompue (n°{expected_seq} attendu)", state
        if event.prev_hash != previous_hash:
            return f"{where} : prev_hash ne correspond pas à l'empreinte de l'événement précédent", state
        if event_hash(event) != event.hash:
            return f"{where} : empreinte incorrecte (l'événement a été modifié)", state
        transition = workflow.transition(event.trigger)
        if transition is None or event.from_state != state or state not in transition.sources \
                or transition.dest != event.to_state:
            return (f"{where} : étape illégale {event.trigger!r} {event.from_state} -> {event.to_state} "
                    f"(état rejoué : {state!r})"), state
        state, previous_hash = event.to_state, event.hash
    return None, state


def _stored_rows(workflow_name):
    """The rows the workflow moves as (id, state, circuit), by id, streamed (None when no subject is
    registered)."""
    subject = SUBJECTS.get(workflow_name)
    if subject is None:
        return None
    model = subject.model
    circuit = getattr(model, subject.circuit) if subject.circuit else sa_literal(subject.workflow)
    return db.session.execute(
        select(model.id, model.state, circuit).order_by(model.id).execution_options(yield_per=STREAM_BATCH))


def _events_of_workflow(name):
    """Every event kept under ``name``, by object then seq, streamed: a batch in memory at a time."""
    return db.session.execute(
        select(*EVENT_COLUMNS).where(WorkflowEvent.workflow == name)
        .order_by(WorkflowEvent.object_id, WorkflowEvent.seq).execution_options(yield_per=STREAM_BATCH))


def _untouched_problem(name, row):
    """A row without any event must still be in its circuit's initial state."""
    object_id, state, circuit = row
    if state != get_workflow(circuit).initial:
        return (f"{name} #{object_id} : état enregistré {state!r} sans aucun événement "
                f"({get_workflow(circuit).initial!r} attendu)")
    return None


def _record_problem(name, object_id, state, last):
    """For a sealed row of a subject with a record: the problem when the row no longer says what
    its last event recorded, else None."""
    subject = SUBJECTS.get(name)
    if subject is None or subject.record is None or state not in subject.sealed:
        return None
    loaded = db.session.identity_map.get(db.session.identity_key(subject.model, object_id))
    row = loaded or db.session.get(subject.model, object_id)
    recorded = json_safe(subject.record(row))
    if loaded is None:
        db.session.expunge(row)  # the identity map would otherwise grow with the log
    if recorded != (last.data or {}).get("record"):
        return (f"{name} #{object_id}, dernier événement n°{last.seq} : le contenu enregistré a changé "
                f"depuis cet événement")
    return None


def _add_object(head, name, object_id, events):
    """What ``HeadSum.add`` of each of a verified chain's events adds up to: its last hash's term."""
    head.value += head.term(name, object_id, events[-1].hash)
    head.events += len(events)


def _logged_workflows():
    """The names events are kept under (distinct, from the (workflow, object_id) index)."""
    return set(db.session.exec(select(WorkflowEvent.workflow).distinct()).all())


def verify():
    """Every check, streaming; the server-side cursors are closed even when it stops early."""
    with ExitStack() as cursors:
        return _verify(cursors)


def _verify(cursors):
    """Stream the log workflow by workflow, object by object: the memory holds one batch of
    events, one object's events and the running head hash, whatever the log's size."""
    result = AuditResult(ok=True)
    head = HeadSum()
    checkpoint = _latest_checkpoint()
    upto = checkpoint.upto_event_id if checkpoint else 0
    before_checkpoint = HeadSum()  # the events the latest checkpoint counts, summed again

    def failed(problem):
        return AuditResult(ok=False, problem=problem, events=result.events, objects=result.objects)

    # events are kept under the name of what they move: a workflow, or the main one of circuits
    for name in sorted({wf.circuit_of for wf in all_workflows()} | _logged_workflows()):
        try:
            main = get_workflow(name)
        except LookupError:
            return failed(f"événements d'un circuit inconnu : {name!r}")
        stored = _stored_rows(name)
        if stored is not None:
            cursors.callback(stored.close)
            stored = iter(stored)
        pending = next(stored, None) if stored is not None else None
        events = _events_of_workflow(name)
        cursors.callback(events.close)

        for object_id, group in groupby(events, key=attrgetter("object_id")):
            group = list(group)
            result.events += len(group)
            row = None
            while pending is not None and pending[0] <= object_id:
                if pending[0] == object_id:
                    row = pending
                elif problem := _untouched_problem(name, pending):
                    return failed(problem)
                pending = next(stored, None)
            workflow = get_workflow(row[2]) if row else main
            problem, state = _object_problem(workflow, object_id, group)
            if problem is None and stored is not None:
                if row is None:
                    problem = f"{name} #{object_id} : des événements existent mais la ligne n'existe pas"
                elif row[1] != state:
                    problem = (f"{name} #{object_id}, dernier événement n°{group[-1].seq} : état enregistré "
                               f"{row[1]!r} différent de l'état rejoué {state!r}")
                else:
                    problem = _record_problem(name, object_id, state, group[-1])
            if problem:
                return failed(problem)
            result.objects += 1
            # the chain is checked: within an object the terms telescope to its last hash's
            _add_object(head, name, object_id, group)
            counted = [event for event in group if event.id <= upto]
            if len(counted) == len(group):
                _add_object(before_checkpoint, name, object_id, group)
            else:  # the object straddles the checkpoint: its counted events one by one
                for event in counted:
                    before_checkpoint.add(name, object_id, event.seq, event.prev_hash, event.hash)
        while pending is not None:
            if problem := _untouched_problem(name, pending):
                return failed(problem)
            pending = next(stored, None)
    if checkpoint and (before_checkpoint.events, before_checkpoint.hex()) != (checkpoint.events, checkpoint.digest):
        return failed(f"point de contrôle du {checkpoint.created_at:%Y-%m-%d} (événements jusqu'à l'id "
                      f"{checkpoint.upto_event_id}) : il comptait {checkpoint.events} événements, le journal en "
                      f"compte {before_checkpoint.events} ou leur empreinte diffère")
    result.head_hash = head.hexdigest()
    return result


def _latest_checkpoint():
    return db.session.exec(select(AuditCheckpoint).order_by(AuditCheckpoint.upto_event_id.desc()).limit(1)).first()


def current_head_hash(checkpoint=False):
    """The head hash alone (printed in committee minutes), the same as ``verify`` gives on an
    intact log, without replaying it: the latest checkpoint's sum plus the events written since
    (one statement, by id). With ``checkpoint``, a new checkpoint counts the events that are
    settled (all of the events up to it are older than SETTLED: no transaction still holding a
    lower id can commit after it), so the next call reads only what came after."""
    latest = _latest_checkpoint()
    upto = latest.upto_event_id if latest else 0
    head = HeadSum(int(latest.digest, 16), latest.events) if latest else HeadSum()
    settled = HeadSum(head.value, head.events)
    cutoff, settled_upto = utcnow() - SETTLED, upto
    rows = db.session.execute(
        select(WorkflowEvent.id, WorkflowEvent.workflow, WorkflowEvent.object_id, WorkflowEvent.seq,
               WorkflowEvent.prev_hash, WorkflowEvent.hash, WorkflowEvent.created_at)
        .where(WorkflowEvent.id > upto).order_by(WorkflowEvent.id).execution_options(yield_per=STREAM_BATCH))
    for event_id, workflow, object_id, seq, prev_hash, hash_, created_at in rows:
        head.add(workflow, object_id, seq, prev_hash, hash_)
        if settled.events == head.events - 1 and created_at < cutoff:  # still in the settled prefix
            settled.add(workflow, object_id, seq, prev_hash, hash_)
            settled_upto = event_id
    if checkpoint and settled_upto > upto:
        db.session.add(AuditCheckpoint(upto_event_id=settled_upto, events=settled.events, digest=settled.hex()))
        db.session.flush()
    return head.hexdigest()
