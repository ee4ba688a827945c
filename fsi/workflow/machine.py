"""One ``transitions`` machine per workflow, built once per process, fired on a plain adapter.

SQLModel rows cannot carry a machine (see STYLE.md): the machine is built with ``model=None``
and every event is triggered with a small :class:`RowAdapter` around the row, whose ``state``
property reads the row's column and writes it through a compare-and-swap on its version.
"""
import threading

from transitions import Machine
from transitions.extensions import GraphMachine

from fsi.db import bump_version
from fsi.workflow.definitions import get_workflow
from fsi.workflow.events import append_event
from fsi.workflow.registry import GUARDS

_MACHINES = {}
_LOCK = threading.Lock()


def _machine_spec(workflow):
    states = list(workflow.states)
    transitions = [
        {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest,
         "conditions": ["check_guards"], "after": ["record_event"]}
        for t in workflow.transitions
    ]
    return states, transitions


def machine_for(name):
    """The process-wide machine of a workflow (built on first use, then shared by all threads;
    never queued, so concurrent triggers do not share any pending state)."""
    machine = _MACHINES.get(name)
    if machine is None:
        with _LOCK:
            machine = _MACHINES.get(name)
            if machine is None:
                workflow = get_workflow(name)
                states, transitions = _machine_spec(workflow)
                machine = Machine(model=None, states=states, transitions=transitions,
                                  initial=workflow.initial, auto_transitions=False,
                                  send_event=True, queued=False)
                _MACHINES[name] = machine
    return machine


def guard_reasons(transition, ctx):
    """The reasons of every failing guard, in the definition's order (all of them, not the first)."""
    reasons = []
    for name in transition.guards:
        reason = GUARDS[name](ctx)
        if reason:
            reasons.append(str(reason))
    return reasons


class RowAdapter:
    """What the machine sees of a row for one trigger: its state, its guards, its event."""

    def __init__(self, row, workflow, transition, ctx, loaded_version):
        self.row = row
        self.workflow = workflow
        self.transition = transition
        self.ctx = ctx
        self.loaded_version = loaded_version
        self.reasons = []
        self.event = None
        self._from_state = row.state

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
        self.event = append_event(
            workflow=self.workflow.name, object_id=self.row.id, trigger=self.transition.trigger,
            from_state=self._from_state, to_state=self.row.state,
            actor_id=getattr(actor, "id", None), comment=self.ctx.comment, data=self.ctx.data,
            workflow_version=self.workflow.version,
        )


class _DiagramModel:
    """A throwaway model: GraphMachine draws from a model's point of view."""


class _LabelledState(GraphMachine.state_cls):
    """A state drawn with its human label instead of its code name."""

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.label = label


class _DiagramMachine(GraphMachine):
    state_cls = _LabelledState


def mermaid_diagram(name, state=None, language="fr"):
    """The workflow as Mermaid ``stateDiagram-v2`` text, labels in ``language``, ``state``
    highlighted when it is one of the workflow's states."""
    workflow = get_workflow(name)

    def label(labels):
        return str(labels.get(language) or labels["fr"]).replace('"', "'").replace(":", " ")

    states = [{"name": s.name, "label": label(s.label)} for s in workflow.states.values()]
    transitions = [{"trigger": t.trigger, "source": list(t.sources), "dest": t.dest, "label": label(t.label)}
                   for t in workflow.transitions]
    model = _DiagramModel()
    machine = _DiagramMachine(model=model, states=states, transitions=transitions, initial=workflow.initial,
                              auto_transitions=False, graph_engine="mermaid", title=label(workflow.label))
    if state in workflow.states:
        machine.set_state(state, model)
    text = str(model.get_graph(force_new=True).draw(None))
    text = text.replace("\n  Class ", "\n  class ")
    text = text.replace("\n  direction LR\n", "\n  direction TB\n", 1)  # readable on a page
    # the current state: dark text on amber with a thick border (red on salmon reads poorly)
    text = text.replace("classDef s_active color:red,fill:darksalmon",
                        "classDef s_active color:#1a1a1a,fill:#fbd38d,stroke:#9c4221,stroke-width:3px")
    # Mermaid's front matter is YAML: give the title its key
    text = text.replace(f"---\n{label(workflow.label)}\n---", f"---\ntitle: {label(workflow.label)}\n---", 1)
    if state not in workflow.states:  # nothing is "current": draw the initial state plainly
        text = text.replace(f"class {workflow.initial} s_active", f"class {workflow.initial} s_default")
    finals = "".join(f"  {s} --> [*]\n" for s in workflow.final_states())
    return text.rstrip("\n") + "\n" + finals
