"""What the workflow partials show: the user's actions now, and the timeline of events.

Jinja globals ``workflow_actions(row)`` and ``workflow_timeline(row)`` feed
``templates/workflow/_actions.html`` and ``_timeline.html``: a page includes them with the
row in ``workflow_row`` (or ``application``).
"""
from dataclasses import dataclass, replace

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fsi.workflow.events import events_of
from fsi.workflow.forms import NoteForm, action_form
from fsi.workflow.models import InternalNote, WorkflowEvent
from fsi.workflow.notes import can_write_notes, notes_of
from fsi.workflow.registry import ACTION_PAGES, actor_names, subject_for_row
from fsi.workflow.service import available_actions


@dataclass
class ActionView:
    action: object
    form: object
    url: str
    #: the action posts to a domain page that explains what blocks it (e.g. the submit page
    #: listing every missing field), so it is offered even while a guard blocks it
    handled_by_page: bool = False
    #: the action is done on a page of its own (an ActionPage): a link to it
    opens_page: bool = False


def workflow_actions(row, user=None, next_url=None, pages=None):
    """The user's actions on ``row``; ``pages`` maps triggers to the domain pages handling them."""
    user = user or current_user
    pages = pages or {}
    if row is None or not getattr(user, "is_authenticated", False):
        return []
    subject = subject_for_row(row)
    if not subject.visible_to(row, user):
        return []
    workflow = subject.definition(row)
    next_url = next_url or (request.full_path.rstrip("?") if request else None)
    views = []
    for action in available_actions(row, user):
        form = action_form(workflow.transition(action.trigger), formdata=None,
                           data={"expected_version": row.version, "next": next_url})
        if action.trigger in pages:
            views.append(ActionView(action, form, pages[action.trigger], handled_by_page=True))
            continue
        page = ACTION_PAGES.get((subject.workflow, action.trigger))
        if page is not None:
            views.append(ActionView(without_guards(action, page.completes), form,
                                    url_for(page.endpoint, object_id=row.id), opens_page=True))
            continue
        url = url_for("workflow.fire_action", workflow=subject.workflow, object_id=row.id, trigger=action.trigger)
        views.append(ActionView(action, form, url))
    return views


@dataclass
class TimelineEntry:
    event: WorkflowEvent
    actor_name: str
    from_label: dict
    to_label: dict
    trigger_label: dict
    created_at: object = None


@dataclass
class NoteEntry:
    """An internal note in the timeline (staff only)."""

    note: InternalNote
    actor_name: str
    created_at: object = None
    is_note: bool = True


def without_guards(action, guards):
    """The action as its page sees it: the reasons of the guards that page satisfies left out."""
    reasons = tuple(reason for reason in action.reasons if reason.guard not in guards)
    return replace(action, reasons=reasons, enabled=not reasons)


def event_comment(event):
    """What the actor wrote; FSI's own comments (events without an actor, kept as their French
    source text) in the reader's language."""
    if event.actor_id is None and event.comment:
        return _(event.comment)
    return event.comment


def workflow_timeline(row, user=None):
    """The row's events, oldest first, with the actor's name; for staff, the internal notes
    among them (three queries)."""
    if row is None:
        return []
    user = user or current_user
    subject = subject_for_row(row)
    workflow = subject.definition(row)
    events = events_of(subject.workflow, row.id)
    notes = notes_of(subject.workflow, row.id) if can_write_notes(row, user) else []
    names = actor_names({event.actor_id for event in events if event.actor_id is not None}
                        | {note.author_id for note in notes})
    entries = []
    for event in events:
        name = names.get(event.actor_id)
        transition = workflow.transition(event.trigger)
        entries.append(TimelineEntry(
            event=event, actor_name=name or (_("Système") if event.actor_id is None else "—"),
            from_label=workflow.state_label(event.from_state), to_label=workflow.state_label(event.to_state),
            trigger_label=transition.label if transition else {"fr": event.trigger, "en": event.trigger},
            created_at=event.created_at,
        ))
    entries += [NoteEntry(note, names.get(note.author_id, "—"), note.created_at) for note in notes]
    return sorted(entries, key=lambda entry: entry.created_at)


def note_form(row, user=None):
    """(form, address) to add an internal note, for staff; None for the others."""
    if row is None or not can_write_notes(row, user or current_user):
        return None
    form = NoteForm(formdata=None, data={"next": request.full_path.rstrip("?") if request else None})
    return form, url_for("workflow.add_note", workflow=subject_for_row(row).workflow, object_id=row.id)


def state_label(row):
    """The row's current state in the current language's label dict."""
    subject = subject_for_row(row)
    return subject.definition(row).state_label(row.state)


def init_app(app):
    app.jinja_env.globals.update(workflow_actions=workflow_actions, workflow_timeline=workflow_timeline,
                                 workflow_state_label=state_label, workflow_note_form=note_form)
    app.jinja_env.filters["event_comment"] = event_comment
