"""Writing events: the per-object sequence and the hash chain."""
import hashlib
import json
from collections import namedtuple
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import bindparam, insert
from sqlmodel import func, select

from fsi.db import db, execute_write, utcnow
from fsi.limits import check_values
from fsi.workflow.models import WorkflowEvent

GENESIS_HASH = "0" * 64


def json_safe(data):
    """Action data as JSON values that round-trip exactly: Decimal and dates become strings."""
    def convert(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        if isinstance(value, dict):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        return value

    return convert(dict(data or {}))


def _instant(value):
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_fields(event):
    return {
        "workflow": event.workflow,
        "object_id": event.object_id,
        "seq": event.seq,
        "trigger": event.trigger,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor_id": event.actor_id,
        "created_at": _instant(event.created_at),
        "comment": event.comment,
        "data": event.data or {},
        "workflow_version": event.workflow_version,
        "prev_hash": event.prev_hash,
    }


def canonical_json(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(event):
    return hashlib.sha256(canonical_json(canonical_fields(event)).encode("utf-8")).hexdigest()


#: built once, on the table (not the model: no ORM layer), as every transition runs them
_EVENTS = WorkflowEvent.__table__
_LAST_LINK = (select(_EVENTS.c.seq, _EVENTS.c.hash)
              .where(_EVENTS.c.workflow == bindparam("workflow"), _EVENTS.c.object_id == bindparam("object_id"))
              .order_by(_EVENTS.c.seq.desc())
              .limit(1))
_INSERT = insert(_EVENTS)


#: an event as written: its columns' values, read-only (building a WorkflowEvent row cost a tenth of
#: a transition)
WrittenEvent = namedtuple("WrittenEvent", [column.name for column in _EVENTS.c])


def append_event(*, workflow, object_id, trigger, from_state, to_state, actor_id, comment, data,
                 workflow_version):
    """Write the next event of the object; returns it (a WrittenEvent). Call it after the row's
    compare-and-swap: the swap serialises writers of one object, so reading the last event here is
    safe."""
    previous = db.session.connection().execute(_LAST_LINK, {"workflow": workflow, "object_id": object_id}).first()
    # microsecond precision survives both SQLite and PostgreSQL, so the hash can be recomputed
    event = WrittenEvent(
        id=None, workflow=workflow, object_id=object_id, seq=(previous.seq + 1) if previous else 1,
        trigger=trigger, from_state=from_state, to_state=to_state, actor_id=actor_id,
        created_at=utcnow(), comment=comment, data=json_safe(data),
        workflow_version=workflow_version,
        prev_hash=previous.hash if previous else GENESIS_HASH, hash="",
    )
    event = event._replace(hash=event_hash(event))
    values = event._asdict()
    del values["id"]
    check_values(WorkflowEvent, values)
    # a Core INSERT, not the session's unit of work: half the cost of the event's flush
    return event._replace(id=execute_write(_INSERT, values).inserted_primary_key[0])


def events_of(workflow, object_id):
    return list(db.session.exec(
        select(WorkflowEvent)
        .where(WorkflowEvent.workflow == workflow, WorkflowEvent.object_id == object_id)
        .order_by(WorkflowEvent.seq)
    ))


def last_event_times(workflow, object_ids):
    """{object id: time of its last state change} for the objects that have events, in one
    statement (lists show when each object last moved)."""
    if not object_ids:
        return {}
    return dict(db.session.exec(
        select(WorkflowEvent.object_id, func.max(WorkflowEvent.created_at))
        .where(WorkflowEvent.workflow == workflow, WorkflowEvent.object_id.in_(list(object_ids)))
        .group_by(WorkflowEvent.object_id)).all())


class HeadSum:
    """The head hash of the whole log, computed event by event in any order, so that it can be
    carried forward from a checkpoint (fsi.workflow.audit.current_head_hash) instead of replaying
    the log.

    It stands for the set of (workflow, object id, last hash) of every object: each event adds
    the term of its own hash and takes away the term of the hash it follows (``prev_hash``, none
    for an object's first event), so the sum is the sum of the objects' last hashes' terms. A
    term is a 2048-bit SHAKE-256 output, summed modulo 2**2048 (an additive multiset hash wide
    enough against generalised-birthday forgeries); the head hash is sha256 over the number of
    events and the sum."""

    BITS = 2048
    MODULUS = 1 << BITS

    def __init__(self, value=0, events=0):
        self.value, self.events = value, events

    @classmethod
    def term(cls, workflow, object_id, hash_):
        # workflow names are identifiers and hashes hexadecimal: the separator cannot occur in them
        data = f"{workflow}|{object_id}|{hash_}".encode()
        return int.from_bytes(hashlib.shake_256(data).digest(cls.BITS // 8), "big")

    def add(self, workflow, object_id, seq, prev_hash, hash_):
        # reduced modulo 2**2048 when read (hex): a million additions only add some twenty bits
        self.value += self.term(workflow, object_id, hash_)
        if seq != 1:
            self.value -= self.term(workflow, object_id, prev_hash)
        self.events += 1

    def hex(self):
        return format(self.value % self.MODULUS, "x")

    def hexdigest(self):
        return hashlib.sha256(canonical_json(["fsi-audit-head", self.events, self.hex()]).encode("utf-8")).hexdigest()
