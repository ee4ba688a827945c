"""A row's workflow as the API shows it (applications here; payments and reports the same way):
its state, the actions the user may take now with their blocking reasons, its timeline. The
same functions as the pages' partials (fsi.workflow.service.available_actions, the events)."""
from pydantic import BaseModel, Field

from fsi.api.schemas.actions import Label, action_out, label
from fsi.api.shapes import UtcTime
from fsi.workflow.events import events_of
from fsi.workflow.registry import actor_names, subject_for_row
from fsi.workflow.service import available_actions
from fsi.workflow.ui import event_comment


class TimelineEvent(BaseModel):
    """A state change in a row's timeline."""

    seq: int
    trigger: str
    label: Label
    from_state: str
    to_state: str
    actor: str | None = Field(description="Who acted; null for the system.")
    created_at: UtcTime
    comment: str | None
    data: dict


def actions_out(row, user):
    """What ``user`` may do on ``row`` now, blocked actions with their reasons (as on its page)."""
    return [action_out(action) for action in available_actions(row, user)]


def state_label(row):
    """The label of ``row``'s state in its own workflow, in both languages."""
    return label(subject_for_row(row).definition(row).state_label(row.state))


def events_out(row):
    """The row's state changes, oldest first, with the actors' names (three statements)."""
    subject = subject_for_row(row)
    workflow = subject.definition(row)
    events = events_of(subject.workflow, row.id)
    names = actor_names({event.actor_id for event in events if event.actor_id is not None})
    out = []
    for event in events:
        transition = workflow.transition(event.trigger)
        out.append(TimelineEvent(
            seq=event.seq, trigger=event.trigger,
            label=label(transition.label if transition else {"fr": event.trigger}),
            from_state=event.from_state, to_state=event.to_state,
            actor=names.get(event.actor_id, "—") if event.actor_id is not None else None,
            created_at=event.created_at, comment=event_comment(event), data=event.data or {}))
    return out
