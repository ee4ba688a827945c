"""What the domains lend the workflow engine, by the names the definitions in workflows/ use.

The engine knows no domain. Each domain registers, at import:
- its **subjects**: the table whose rows a workflow moves (``register_subject``);
- its **guards**: ``@guard("name")`` functions ``(ctx) -> None | str``, None when the transition
  may happen, else the reason in plain French shown to the user;
- its **effects**: ``@effect("workflow", "trigger")`` functions ``(ctx) -> None`` run after the
  state changed, in the same transaction (e.g. record the approved amount, freeze a version).

Lists show the actions of many rows at once: a guard that needs the database may register a
``preload`` function ``(rows, cache) -> None`` that loads what it needs for all the rows in a
few queries and stores it in ``cache`` (a dict shared by every guard of that list, also
available as ``ctx.cache``); the guard then reads ``ctx.cache`` when it is filled and queries
on its own otherwise (a single row).
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
    #: filled by the guards' ``preload`` functions when many rows are checked at once
    cache: dict = field(default_factory=dict)


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
    #: (row, user) -> may this user see the row (and so its actions and timeline)?
    can_view: Callable[[Any, Any], bool] = None

    def visible_to(self, row, user):
        if self.can_view is None:
            return staff_only(row, user)
        return bool(self.can_view(row, user))


def staff_only(row, user):
    """The default ``can_view``: staff and administrators only."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))


GUARDS: dict[str, Callable[[GuardContext], Optional[str]]] = {}
#: guard name -> (rows, cache) -> None, see the module docstring
PRELOADERS: dict[str, Callable[[list, dict], None]] = {}
EFFECTS: dict[tuple[str, str], list[Callable[[GuardContext], None]]] = {}
SUBJECTS: dict[str, Subject] = {}


def guard(name, preload=None):
    def register(func):
        if name in GUARDS and GUARDS[name] is not func:
            raise ValueError(f"guard {name!r} registered twice")
        GUARDS[name] = func
        if preload is not None:
            PRELOADERS[name] = preload
        return func

    return register


def effect(workflow, trigger):
    def register(func):
        EFFECTS.setdefault((workflow, trigger), []).append(func)
        return func

    return register


def register_subject(workflow, model, owner_organisation, recipients, describe=str, can_view=None):
    """Declare the table a workflow moves. ``can_view(row, user) -> bool`` decides who may see a
    row's actions and timeline and fire actions on it through /workflow/...; without it, only
    staff and administrators may (``staff_only``). Firing still checks the transition's roles."""
    SUBJECTS[workflow] = Subject(workflow, model, owner_organisation, recipients, describe, can_view)


def subject_for_row(row):
    for subject in SUBJECTS.values():
        if isinstance(row, subject.model):
            return subject
    raise LookupError(f"no workflow moves {type(row).__name__} rows")
