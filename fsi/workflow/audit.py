"""``flask fsi audit verify``: recompute every hash and replay every object's events.

Checked for each object: hashes (own and chain), sequence 1, 2, 3... without gaps, each step a
legal transition of the definition the object follows (its circuit's) from the previous state
(the first from the initial state), and the replay ending at the state stored on the row; rows
of a registered subject that left the initial state without any event are caught too. A subject
that gives its events a ``record`` (a review's scores) and ``sealed`` states has each sealed row
compared with the record its last event carries: a score changed behind the log is caught.
"""
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import literal as sa_literal
from sqlmodel import select

from fsi.db import db
from fsi.workflow.definitions import all_workflows, get_workflow
from fsi.workflow.events import GENESIS_HASH, event_hash, head_hash, json_safe
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.registry import SUBJECTS


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
    """{id: (state, circuit)} of the rows the workflow moves (None when no subject is registered)."""
    subject = SUBJECTS.get(workflow_name)
    if subject is None:
        return None
    model = subject.model
    circuit = getattr(model, subject.circuit) if subject.circuit else sa_literal(subject.workflow)
    rows = db.session.exec(select(model.id, model.state, circuit).order_by(model.id)).all()
    return {row_id: (state, circuit_name) for row_id, state, circuit_name in rows}


def _record_problem(name, object_id, state, last):
    """For a sealed row of a subject with a record: the problem when the row no longer says what
    its last event recorded, else None."""
    subject = SUBJECTS.get(name)
    if subject is None or subject.record is None or state not in subject.sealed:
        return None
    row = db.session.get(subject.model, object_id)
    if json_safe(subject.record(row)) != (last.data or {}).get("record"):
        return (f"{name} #{object_id}, dernier événement n°{last.seq} : le contenu enregistré a changé "
                f"depuis cet événement")
    return None


def verify():
    events = db.session.exec(
        select(WorkflowEvent).order_by(WorkflowEvent.workflow, WorkflowEvent.object_id, WorkflowEvent.seq)
    ).all()
    result = AuditResult(ok=True, events=len(events))
    by_workflow = {name: list(group) for name, group in groupby(events, key=lambda e: e.workflow)}
    last_hashes = []
    # events are kept under the name of what they move: a workflow, or the main one of circuits
    for name in sorted({wf.circuit_of for wf in all_workflows()} | set(by_workflow)):
        try:
            main = get_workflow(name)
        except LookupError:
            return AuditResult(ok=False, problem=f"événements d'un circuit inconnu : {name!r}")
        stored = _stored_rows(name)
        replayed = set()
        for object_id, group in groupby(by_workflow.get(name, []), key=lambda e: e.object_id):
            group = list(group)
            replayed.add(object_id)
            row = (stored or {}).get(object_id)
            workflow = get_workflow(row[1]) if row else main
            problem, state = _object_problem(workflow, object_id, group)
            if problem is None and stored is not None:
                if row is None:
                    problem = f"{name} #{object_id} : des événements existent mais la ligne n'existe pas"
                elif row[0] != state:
                    problem = (f"{name} #{object_id}, dernier événement n°{group[-1].seq} : état enregistré "
                               f"{row[0]!r} différent de l'état rejoué {state!r}")
                else:
                    problem = _record_problem(name, object_id, state, group[-1])
            if problem:
                return AuditResult(ok=False, problem=problem, events=len(events))
            last_hashes.append((name, object_id, group[-1].hash))
        for object_id, (state, circuit) in (stored or {}).items():
            if object_id not in replayed and state != get_workflow(circuit).initial:
                return AuditResult(ok=False, events=len(events), problem=(
                    f"{name} #{object_id} : état enregistré {state!r} sans aucun événement "
                    f"({get_workflow(circuit).initial!r} attendu)"))
    result.objects = len(last_hashes)
    result.head_hash = head_hash(last_hashes)
    return result


def current_head_hash():
    """The head hash alone (e.g. printed in committee minutes); None if the log is broken."""
    return verify().head_hash
