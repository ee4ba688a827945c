"""One ``transitions`` machine per workflow, built once per process, fired on a plain adapter.

SQLModel rows cannot carry a machine (see STYLE.md): the machine is built with ``model=None``
and every event is triggered with a small :class:`RowAdapter` around the row, whose ``state``
property reads the row's column and writes it through a compare-and-swap on its version.
The machine carries the whole transition: its condition checks every guard, and its ``after``
callbacks write the event, run the effects the definition lists, then queue the notifications.
"""
import threading

from transitions import Machine
from transitions.extensions import GraphMachine

from fsi.db import bump_version, db
from fsi.workflow.definitions import get_workflow
from fsi.workflow.events import append_event
from fsi.workflow.registry import EFFECTS, GUARDS, Reason, definition_of

_MACHINES = {}
_LOCK = threading.Lock()


class _Effect:
    """An ``after`` callback running the effect registered under ``name`` (looked up when it runs,
    so the machine is built once whatever registers later)."""

    def __init__(self, name):
        self.name = name

    def __call__(self, event_data):
        EFFECTS[self.name](event_data.model.ctx)
        db.session.flush()  # the notifications' recipients may be what it wrote


def _machine_spec(workflow):
    transitions = [
        {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest, "conditions": ["check_guards"],
         "after": ["record_event", *[_Effect(name) for name in t.effects], "notify"]}
        for t in workflow.transitions
    ]
    return list(workflow.states), transitions


def machine_for(name):
    """The process-wide machine of a workflow (built on first use, then shared by all threads;
    never queued, so concurrent triggers do not share any pending state)."""
    workflow = get_workflow(name)
    machine = _MACHINES.get(name)
    if machine is None or machine.fsi_definition is not workflow:  # definitions re-read: rebuild
        with _LOCK:
            machine = _MACHINES.get(name)
            if machine is None or machine.fsi_definition is not workflow:
                states, transitions = _machine_spec(workflow)
                machine = Machine(model=None, states=states, transitions=transitions,
                                  initial=workflow.initial, auto_transitions=False,
                                  send_event=True, queued=False)
                machine.fsi_definition = workflow
                _MACHINES[name] = machine
    return machine


def allows(workflow_name, state, trigger):
    """Whether ``trigger`` leaves ``state`` in that workflow (the machine answers)."""
    return trigger in machine_for(workflow_name).get_triggers(state)


def allows_on(row, trigger):
    """Whether ``trigger`` leaves the row's state in the circuit the row follows."""
    return allows(definition_of(row).name, row.state, trigger)


def guard_reasons(transition, ctx, only=None):
    """The reasons (``Reason``) of every failing guard, in the definition's order (all of them, not
    the first); ``only`` limits the guards evaluated to those names."""
    reasons = []
    for name in transition.guards:
        if only is not None and name not in only:
            continue
        reason = GUARDS[name](ctx)
        if reason:
            reason = reason if isinstance(reason, Reason) else Reason(reason)
            reason.guard = name
            reasons.append(reason)
    return reasons


class RowAdapter:
    """What the machine sees of a row for one trigger: its state, its guards, its event."""

    def __init__(self, row, workflow, transition, ctx, loaded_version, notify, kept_under=None, record=None):
        self.row = row
        #: row -> what the event must prove of the row (its subject's ``record``), or None
        self.record = record
        self.workflow = workflow
        #: the name the row's events are kept under (its subject's workflow, whatever the circuit)
        self.kept_under = kept_under or workflow.name
        self.transition = transition
        self.ctx = ctx
        self.loaded_version = loaded_version
        self.reasons = []
        self.event = None
        self._from_state = row.state
        self._notify = notify

    @property
    def state(self):
        return self.row.state

    @state.setter
    def state(self, value):
        # refused (StaleObject) when someone changed the row since it was read
        bump_version(self.row, self.loaded_version, state=value)

    def check_guards(self, event_data):
        self.reasons = guard_reasons(self.transition, self.ctx)
        return not self.reasons

    def record_event(self, event_data):
        actor = self.ctx.actor
        data = dict(self.ctx.data or {})
        if self.record is not None:
            data["record"] = self.record(self.row)
        self.event = append_event(
            workflow=self.kept_under, object_id=self.row.id, trigger=self.transition.trigger,
            from_state=self._from_state, to_state=self.row.state,
            actor_id=getattr(actor, "id", None), comment=self.ctx.comment, data=data,
            workflow_version=self.workflow.version,
        )

    def notify(self, event_data):
        self._notify(self.row, self.workflow, self.transition, self.event)


# --- Diagrams -------------------------------------------------------------------------------

class _DiagramModel:
    """A throwaway model: GraphMachine draws from a model's point of view."""


class _LabelledState(GraphMachine.state_cls):
    """A state drawn with its human label instead of its code name."""

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.label = label


#: the current state: dark text on amber with a thick border (red on salmon reads poorly)
CURRENT_STATE_STYLE = {"color": "#1a1a1a", "fillcolor": "#fbd38d", "stroke": "#9c4221", "stroke-width": "3px"}


def _diagram_machine_class(highlight):
    """GraphMachine drawn top to bottom (readable on a page), the current state highlighted only
    when there is one (the throwaway model always sits in some state)."""
    node_styles = dict(GraphMachine.style_attributes["node"])
    node_styles["active"] = CURRENT_STATE_STYLE if highlight else node_styles["default"]
    return type("_DiagramMachine", (GraphMachine,), {
        "state_cls": _LabelledState,
        "machine_attributes": {**GraphMachine.machine_attributes, "rankdir": "TB"},
        "style_attributes": {**GraphMachine.style_attributes, "node": node_styles},
    })


def mermaid_diagram(name, state=None, language="fr"):
    """The workflow as Mermaid ``stateDiagram-v2`` text, labels in ``language``, ``state``
    highlighted when it is one of the workflow's states."""
    workflow = get_workflow(name)

    def label(labels):
        return str(labels.get(language) or labels["fr"]).replace('"', "'").replace(":", " ")

    states = [{"name": s.name, "label": label(s.label)} for s in workflow.states.values()]
    transitions = [{"trigger": t.trigger, "source": list(t.sources), "dest": t.dest, "label": label(t.label)}
                   for t in workflow.transitions]
    highlight = state in workflow.states
    model = _DiagramModel()
    machine = _diagram_machine_class(highlight)(
        model=model, states=states, transitions=transitions, initial=workflow.initial, auto_transitions=False,
        graph_engine="mermaid", title=label(workflow.label))
    if highlight:
        machine.set_state(state, model)
    text = str(model.get_graph(force_new=True).draw(None))
    # transitions 0.9.3 writes "Class" (Mermaid wants "class") and a bare title line in the front
    # matter (Mermaid wants "title: ..."): both fixed upstream after 0.9.3
    text = text.replace("\n  Class ", "\n  class ")
    text = text.replace(f"---\n{label(workflow.label)}\n---", f"---\ntitle: {label(workflow.label)}\n---", 1)
    finals = "".join(f"  {s} --> [*]\n" for s in workflow.final_states())
    return text.rstrip("\n") + "\n" + finals
