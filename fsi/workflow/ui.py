"""What the workflow partials show: the user's actions now, and the timeline of events.

Jinja globals ``workflow_actions(row)`` and ``workflow_timeline(row)`` feed
``templates/workflow/_actions.html`` and ``_timeline.html``: a page includes them with the
row in ``workflow_row`` (or ``application``).
"""
from dataclasses import dataclass

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fsi.workflow.definitions import get_workflow
from fsi.workflow.events import events_of
from fsi.workflow.forms import action_form
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.registry import actor_names, subject_for_row
from fsi.workflow.service import available_actions


@dataclass
class ActionView:
    action: object
    form: object
    url: str
    #: the action posts to a domain page that explains what blocks it (e.g. the submit page
    #: listing every missing field), so it is offered even while a guard blocks it
    handled_by_page: bool = False


def workflow_actions(row, user=None, next_url=None, pages=None):
    """The user's actions on ``row``; ``pages`` maps triggers to the domain pages handling them."""
    user = user or current_user
    pages = pages or {}
    if row is None or not getattr(user, "is_authenticated", False):
        return []
    subject = subject_for_row(row)
    if not subject.visible_to(row, user):
        return []
    workflow = get_workflow(subject.workflow)
    next_url = next_url or (request.full_path.rstrip("?") if request else None)
    views = []
    for action in available_actions(row, user):
        form = action_form(workflow.transition(action.trigger), formdata=None,
                           data={"expected_version": row.version, "next": next_url})
        if action.trigger in pages:
            views.append(ActionView(action, form, pages[action.trigger], handled_by_page=True))
            continue
        url = url_for("workflow.fire_action", workflow=workflow.name, object_id=row.id, trigger=action.trigger)
        views.append(ActionView(action, form, url))
    return views


@dataclass
class TimelineEntry:
    event: WorkflowEvent
    actor_name: str
    from_label: dict
    to_label: dict
    trigger_label: dict


def workflow_timeline(row):
    """The row's events, oldest first, with the actor's name (two queries)."""
    if row is None:
        return []
    subject = subject_for_row(row)
    workflow = get_workflow(subject.workflow)
    events = events_of(workflow.name, row.id)
    names = actor_names({event.actor_id for event in events if event.actor_id is not None})
    entries = []
    for event in events:
        name = names.get(event.actor_id)
        transition = workflow.transition(event.trigger)
        entries.append(TimelineEntry(
            event=event, actor_name=name or (_("Système") if event.actor_id is None else "—"),
            from_label=workflow.state_label(event.from_state), to_label=workflow.state_label(event.to_state),
            trigger_label=transition.label if transition else {"fr": event.trigger, "en": event.trigger},
        ))
    return entries


def state_label(row):
    """The row's current state in the current language's label dict."""
    subject = subject_for_row(row)
    return get_workflow(subject.workflow).state_label(row.state)


def init_app(app):
    app.jinja_env.globals.update(workflow_actions=workflow_actions, workflow_timeline=workflow_timeline,
                                 workflow_state_label=state_label)
