"""The event log: one row per state change, append-only, chained by hashes per object."""
from datetime import datetime

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fsi.cache import NOT_CACHED
from fsi.db import UTCDateTime, utcnow


class WorkflowEvent(SQLModel, table=True):
    """A transition that happened. Never updated nor deleted: ``flask fsi audit verify``
    recomputes the hashes and replays the events through the definitions."""

    __tablename__ = "workflow_event"
    __table_args__ = (
        UniqueConstraint("workflow", "object_id", "seq", name="object_seq"),
        Index("ix_workflow_event_object", "workflow", "object_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    #: the workflow's name (workflows/<name>.yaml), which also names the subject table
    workflow: str = Field(max_length=40)
    object_id: int
    #: 1, 2, 3... per object, without gaps
    seq: int
    trigger: str = Field(max_length=60)
    from_state: str = Field(max_length=32)
    to_state: str = Field(max_length=32)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    comment: str | None = Field(default=None, sa_type=Text)
    #: the action's data, JSON-safe (amounts as strings "12500.00", dates as "2026-11-26")
    data: dict = Field(default_factory=dict, sa_type=JSON)
    #: the definition's version the event was written under
    workflow_version: int
    #: hash of the previous event of the same object (GENESIS_HASH for the first)
    prev_hash: str = Field(max_length=64)
    #: sha256 over the canonical JSON of every other field (fsi.workflow.events.event_hash)
    hash: str = Field(max_length=64)


class InternalNote(SQLModel, table=True):
    """A note staff leave on a row of a workflow (not a state change): only staff read it, in the
    row's timeline. Never updated nor deleted."""

    __tablename__ = "internal_note"
    __table_args__ = (Index("ix_internal_note_object", "workflow", "object_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workflow: str = Field(max_length=40)
    object_id: int
    author_id: int = Field(foreign_key="user.id")
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuditCheckpoint(SQLModel, table=True):
    """The log's head up to an event id, kept so that the head hash is computed from the last
    checkpoint on (``fsi.workflow.audit.current_head_hash``), not from the whole log. Written when
    a committee session closes; ``flask fsi audit verify`` recomputes the latest one."""

    __tablename__ = "audit_checkpoint"
    __table_args__ = {"info": NOT_CACHED}  # no kept result reads it (fsi.cache)

    id: int | None = Field(default=None, primary_key=True)
    #: every event with an id up to this one is counted (and none above)
    upto_event_id: int = Field(index=True)
    events: int
    #: fsi.workflow.events.HeadSum's value, hexadecimal
    digest: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
