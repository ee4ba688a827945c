"""What the domains lend the workflow engine, by the names the definitions in workflows/ use.

The engine knows no domain. Each domain registers, at import:
- its **subjects**: the table whose rows a workflow moves (``register_subject``);
- its **guards**: ``@guard("name")`` functions ``(ctx) -> None | str``, None when the transition
  may happen, else the reason in plain French shown to the user;
- its **effects**: ``@effect("workflow", "trigger")`` functions ``(ctx) -> None`` run after the
  state changed, in the same transaction (e.g. record the approved amount, freeze a version).
"""
from dataclasses import dataclass, field
from typing import Any, Callable, Optional


@dataclass
class GuardContext:
    """What a guard or effect sees: the row, who acts, the data given with the action."""

    row: Any
    actor: Any
    trigger: str
    data: dict = field(default_factory=dict)
    comment: Optional[str] = None


@dataclass(frozen=True)
class Subject:
    workflow: str
    model: type
    #: row -> organisation id owning it (applicant rights), or None
    owner_organisation: Callable[[Any], Optional[int]]
    #: (row, audience) -> list of e-mail addresses; audience names come from the definitions
    recipients: Callable[[Any, str], list]
    #: row -> a short human reference for mails and timelines (e.g. FSI-2026-0042)
    describe: Callable[[Any], str] = str


GUARDS: dict[str, Callable[[GuardContext], Optional[str]]] = {}
EFFECTS: dict[tuple[str, str], list[Callable[[GuardContext], None]]] = {}
SUBJECTS: dict[str, Subject] = {}


def guard(name):
    def register(func):
        if name in GUARDS and GUARDS[name] is not func:
            raise ValueError(f"guard {name!r} registered twice")
        GUARDS[name] = func
        return func

    return register


def effect(workflow, trigger):
    def register(func):
        EFFECTS.setdefault((workflow, trigger), []).append(func)
        return func

    return register


def register_subject(workflow, model, owner_organisation, recipients, describe=str):
    SUBJECTS[workflow] = Subject(workflow, model, owner_organisation, recipients, describe)


def subject_for_row(row):
    for subject in SUBJECTS.values():
        if isinstance(row, subject.model):
            return subject
    raise LookupError(f"no workflow moves {type(row).__name__} rows")
