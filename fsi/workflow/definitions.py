"""Reading and checking the workflow definitions of workflows/ (plain YAML data).

Each file becomes a frozen :class:`Workflow`. ``load_workflow`` refuses a file that is
inconsistent (unreachable state, dead end, missing label, unknown role...) with a
:class:`DefinitionError` naming the file and the problem; ``check_registered`` refuses guard and
effect names that no domain registered (run at start-up, once every domain is plugged in).

The definitions are read from one directory per process (``WORKFLOWS_DIR`` in the settings,
the project's workflows/ by default) and cached.
"""
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

WORKFLOWS_DIR = Path(__file__).resolve().parent.parent.parent / "workflows"
_directory = WORKFLOWS_DIR

#: "system": FSI itself, following a rule the staff turned on (e.g. a call's automation)
ROLES = ("applicant", "staff", "reviewer", "admin", "system")
ROLE_LABELS = {
    "applicant": {"fr": "Porteur de projet", "en": "Applicant"},
    "reviewer": {"fr": "Membre du comité", "en": "Committee member"},
    "staff": {"fr": "Chargé(e) de mission", "en": "Staff"},
    "admin": {"fr": "Administrateur", "en": "Administrator"},
    "system": {"fr": "Système (automatique)", "en": "System (automatic)"},
}
AUDIENCE_LABELS = {
    "applicant": {"fr": "le porteur de projet", "en": "the applicant"},
    "staff": {"fr": "l'équipe", "en": "staff"},
    "reviewers": {"fr": "les évaluateurs", "en": "the reviewers"},
}
AUDIENCES = ("applicant", "staff", "reviewers")
DATA_FIELDS = ("amount", "date", "document", "still_due")
#: tags and effect names are identifiers: lower case, digits and underscores
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
COMMENT_RULES = ("required", "optional", "none")
LANGUAGES = ("fr", "en")


class DefinitionError(ValueError):
    """A workflow file is inconsistent; the message names the file and the problem."""


@dataclass(frozen=True)
class State:
    name: str
    label: dict
    final: bool = False
    #: what code may ask about the state (``tagged("application", "editable")``): code never names
    #: a state, so renaming one here cannot silently break a query
    tags: frozenset = frozenset()


@dataclass(frozen=True)
class Transition:
    trigger: str
    label: dict
    sources: tuple
    dest: str
    roles: tuple
    guards: tuple = ()
    #: "required", "optional" or "none"
    comment: str = "none"
    #: data the action needs besides a comment: "amount", "date", "document", "still_due" (an amount, zero allowed)
    data: tuple = ()
    #: audiences mailed once the change is made: "applicant", "staff", "reviewers"
    notify: tuple = ()
    #: what FSI does once the state changed, in this order (functions the domains register by name)
    effects: tuple = ()


@dataclass(frozen=True)
class Workflow:
    name: str
    version: int
    label: dict
    initial: str
    states: dict  # name -> State, in file order
    transitions: tuple
    path: Path
    #: the kind of object this workflow moves, when several circuits move it (``circuit_of:
    #: application`` in application_fsi.yaml); a workflow alone is its own
    circuit_of: str = ""

    def transition(self, trigger):
        """The transition of that trigger, or None."""
        for transition in self.transitions:
            if transition.trigger == trigger:
                return transition
        return None

    def state_label(self, name):
        state = self.states.get(name)
        return state.label if state else {"fr": name, "en": name}

    def final_states(self):
        return [s.name for s in self.states.values() if s.final]

    def states_tagged(self, tag):
        """The names of the states carrying ``tag``, in file order."""
        return tuple(s.name for s in self.states.values() if tag in s.tags)

    def tags(self):
        return frozenset().union(*(s.tags for s in self.states.values()))


# --- Reading ------------------------------------------------------------------------------

def use_directory(directory):
    """Read the definitions from ``directory`` from now on (the setting WORKFLOWS_DIR)."""
    global _directory
    directory = Path(directory).resolve()
    if directory != _directory:
        _directory = directory
        get_workflow.cache_clear()
        circuits.cache_clear()


def directory():
    return _directory


def state_names(name):
    """Every state of the circuits of ``name``, the main circuit's first, in file order."""
    return list(dict.fromkeys(state for workflow in circuits(name) for state in workflow.states))


def state_check(name, column="state"):
    """SQL for a CHECK constraint: the column holds one of the states of the circuits of ``name``."""
    states = ", ".join(f"'{s}'" for s in state_names(name))
    return f"{column} IN ({states})"


def _as_tuple(value):
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def load_workflow(path):
    """Parse and check one YAML file; raises DefinitionError("<file>: <problem>")."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
        workflow = _parse(raw, path)
    except DefinitionError:
        raise
    except (yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError) as error:
        raise DefinitionError(f"{path.name}: unreadable definition ({type(error).__name__}: {error})") from error
    for problem in structural_problems(workflow):
        raise DefinitionError(f"{path.name}: {problem}")
    return workflow


def _parse(raw, path):
    if not isinstance(raw, dict):
        raise DefinitionError(f"{path.name}: not a mapping")
    for key in ("workflow", "version", "label", "initial", "states", "transitions"):
        if key not in raw or raw[key] in (None, ""):
            raise DefinitionError(f"{path.name}: missing '{key}'")
    states = {}
    for name, spec in raw["states"].items():
        spec = dict(spec or {})
        final = bool(spec.pop("final", False))
        tags = frozenset(_as_tuple(spec.pop("tags", None)))
        states[name] = State(name=name, label=spec, final=final, tags=tags)
    transitions = tuple(
        Transition(
            trigger=str(spec["trigger"]),
            label=dict(spec.get("label") or {}),
            sources=_as_tuple(spec.get("from")),
            dest=spec.get("to"),
            roles=_as_tuple(spec.get("roles")),
            guards=_as_tuple(spec.get("guards")),
            comment=spec.get("comment", "none"),
            data=_as_tuple(spec.get("data")),
            notify=_as_tuple(spec.get("notify")),
            effects=_as_tuple(spec.get("effects")),
        )
        for spec in raw["transitions"]
    )
    return Workflow(name=raw["workflow"], version=raw["version"], label=dict(raw["label"]),
                    initial=raw["initial"], states=states, transitions=transitions, path=path,
                    circuit_of=str(raw.get("circuit_of") or raw["workflow"]))


# --- Checks -------------------------------------------------------------------------------

def _missing_languages(label):
    if not isinstance(label, dict):
        return list(LANGUAGES)
    return [lang for lang in LANGUAGES if not str(label.get(lang) or "").strip()]


def structural_problems(wf):
    """Every problem of a definition (guards apart), as English sentences for developers."""
    problems = []
    if not isinstance(wf.version, int) or isinstance(wf.version, bool) or wf.version < 1:
        problems.append(f"version must be a positive integer, not {wf.version!r}")
    if wf.name != wf.path.stem:
        problems.append(f"workflow name {wf.name!r} differs from the file name {wf.path.stem!r}")
    if missing := _missing_languages(wf.label):
        problems.append(f"the workflow label lacks {', '.join(missing)}")
    if wf.initial not in wf.states:
        problems.append(f"initial state {wf.initial!r} is not a declared state")
    for state in wf.states.values():
        if missing := _missing_languages(state.label):
            problems.append(f"state {state.name!r} has no label in {', '.join(missing)}")
        problems += [f"state {state.name!r} has tag {tag!r}: tags are lower-case identifiers"
                     for tag in sorted(map(str, state.tags)) if not NAME.match(tag)]
    problems += _transition_problems(wf)
    if not problems:
        problems += _graph_problems(wf)
    return problems


def _transition_problems(wf):
    problems, seen = [], set()
    for t in wf.transitions:
        where = f"transition {t.trigger!r}"
        if t.trigger in seen:
            problems.append(f"{where} is declared twice (one entry per trigger, with a list of 'from')")
        seen.add(t.trigger)
        if missing := _missing_languages(t.label):
            problems.append(f"{where} has no label in {', '.join(missing)}")
        if not t.sources:
            problems.append(f"{where} has no 'from' state")
        for source in t.sources:
            if source not in wf.states:
                problems.append(f"{where} starts from unknown state {source!r}")
        if t.dest not in wf.states:
            problems.append(f"{where} goes to unknown state {t.dest!r}")
        if not t.roles:
            problems.append(f"{where} has no roles")
        problems += [f"{where} names unknown role {r!r}" for r in t.roles if r not in ROLES]
        if t.comment not in COMMENT_RULES:
            problems.append(f"{where} has comment {t.comment!r} (expected one of {', '.join(COMMENT_RULES)})")
        problems += [f"{where} needs unknown data {d!r}" for d in t.data if d not in DATA_FIELDS]
        problems += [f"{where} notifies unknown audience {a!r}" for a in t.notify if a not in AUDIENCES]
        problems += [f"{where} has effect {e!r}: effect names are lower-case identifiers"
                     for e in t.effects if not NAME.match(str(e))]
    return problems


def _graph_problems(wf):
    problems = []
    outgoing = {name: [] for name in wf.states}
    for t in wf.transitions:
        for source in t.sources:
            outgoing[source].append(t.dest)
    reached, todo = {wf.initial}, [wf.initial]
    while todo:
        for dest in outgoing[todo.pop()]:
            if dest not in reached:
                reached.add(dest)
                todo.append(dest)
    for state in wf.states.values():
        if state.name not in reached:
            problems.append(f"state {state.name!r} cannot be reached from {wf.initial!r}")
        if state.final and outgoing[state.name]:
            problems.append(f"final state {state.name!r} has transitions leaving it")
        if not state.final and not outgoing[state.name]:
            problems.append(f"state {state.name!r} is a dead end: not final and no transition leaves it")
    return problems


def check_registered(workflow, kind, known):
    """Raise DefinitionError if a transition names a ``kind`` ("guard" or "effect") that no domain
    registered; ``known`` holds the registered names."""
    for t in workflow.transitions:
        for name in getattr(t, f"{kind}s"):
            if name not in known:
                raise DefinitionError(
                    f"{workflow.path.name}: transition {t.trigger!r} uses {kind} {name!r}, "
                    f"which no FSI domain registers (known: {', '.join(sorted(known)) or 'none'})"
                )


def check_guards(workflow, known_guards):
    check_registered(workflow, "guard", known_guards)


# --- The process-wide definitions ---------------------------------------------------------

@cache
def get_workflow(name):
    """The checked definition of <WORKFLOWS_DIR>/<name>.yaml (read once per process)."""
    path = _directory / f"{name}.yaml"
    if not path.exists():
        raise LookupError(f"no workflow named {name!r} in {_directory}")
    return load_workflow(path)


def workflow_names():
    return sorted(p.stem for p in _directory.glob("*.yaml"))


def all_workflows():
    return [get_workflow(name) for name in workflow_names()]


@cache
def circuits(name):
    """The definitions that move the objects of ``name``: the workflow ``name`` itself first,
    then those declaring ``circuit_of: name`` (e.g. application_fsi for applications)."""
    found = tuple(wf for wf in all_workflows() if wf.circuit_of == name)
    if not found:
        raise LookupError(f"no workflow named {name!r} in {_directory}")
    return tuple(sorted(found, key=lambda wf: wf.name != name))


def check_circuits():
    """Raise DefinitionError when circuits of the same objects disagree on what they share: the
    initial state, and the tags and finality of a state both declare (code asks for states by
    tag across all the circuits, so a shared state must mean the same in each)."""
    for name in sorted({wf.circuit_of for wf in all_workflows()}):
        main, *others = circuits(name)
        if main.name != name:
            raise DefinitionError(f"{main.path.name}: circuit of {name!r}, but there is no {name}.yaml")
        for other in others:
            if other.initial != main.initial:
                raise DefinitionError(f"{other.path.name}: starts in {other.initial!r}, "
                                      f"{main.path.name} in {main.initial!r}: circuits start alike")
            for state in set(other.states) & set(main.states):
                mine, theirs = other.states[state], main.states[state]
                if (mine.tags, mine.final) != (theirs.tags, theirs.final):
                    raise DefinitionError(
                        f"{other.path.name}: state {state!r} differs from {main.path.name} "
                        f"(tags {sorted(mine.tags)} vs {sorted(theirs.tags)}, final {mine.final} vs {theirs.final}); "
                        f"a state both circuits name must mean the same")
