"""What the domains lend the workflow engine, by the names the definitions in workflows/ use.

The engine knows no domain. Each domain gathers what it lends in a :class:`Provides` (guards,
effects, subjects) and hands it over in its ``init_app`` (``workflow.register(provides)``):
- **subjects**: the table whose rows a workflow moves (``provides.subject(...)``);
- **guards**: ``@provides.guard("name", label)`` functions ``(ctx) -> None | str | Reason``, None when
  the transition may happen, else the reason in plain French shown to the user (a ``Reason``
  carries the ``Remedy``: the page where it is fixed);
- **effects**: ``@provides.effect("name", label)`` functions ``(ctx) -> None`` that a definition lists
  under ``effects:``; they run after the state changed, in the same transaction.
``fsi.workflow.init_app`` then refuses to start while a definition names a guard or an effect
that nobody registered.

Lists show the actions of many rows at once: a guard that needs the database may register a
``preload`` function ``(rows, cache) -> None`` that loads what it needs for all the rows in a
few queries and stores it in ``cache`` (a dict shared by every guard of that list, also
available as ``ctx.cache``); the guard then reads ``ctx.cache`` when it is filled and queries
on its own otherwise (a single row).
"""
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fsi.workflow.definitions import get_workflow


@dataclass
class Remedy:
    """Where a blocked action is fixed: the link's label and the page (endpoint and its values)."""

    label: str
    endpoint: str
    values: dict = field(default_factory=dict)


class Reason(str):
    """Why a guard blocks, in French, with the ``remedy`` when a page fixes it: pages show the
    reason and link to that page, so that no blocked action is a dead end. ``guard``: the name
    of the guard that gave it."""

    remedy = None
    guard = None

    def __new__(cls, text, remedy=None):
        reason = super().__new__(cls, str(text))
        reason.remedy = remedy
        return reason


@dataclass
class GuardContext:
    """What a guard or effect sees: the row, who acts, the data given with the action."""

    row: Any
    actor: Any
    trigger: str
    data: dict = field(default_factory=dict)
    comment: str | None = None
    #: filled by the guards' ``preload`` functions when many rows are checked at once
    cache: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Subject:
    #: the workflow that moves the rows, and the name their events are kept under
    workflow: str
    model: type
    #: row -> organisation id owning it (applicant rights), or None
    owner_organisation: Callable[[Any], int | None]
    #: (row, audience) -> list of users (with ``email`` and ``language``); audiences come from the definitions
    recipients: Callable[[Any, str], list]
    #: row -> a short human reference for mails and timelines (e.g. FSI-2026-0042)
    describe: Callable[[Any], str] = str
    #: (row, user) -> may this user see the row (and so its actions and timeline)?
    can_view: Callable[[Any, Any], bool] = None
    #: the column naming the circuit a row follows, when several definitions move these rows
    #: (``circuit_of:`` in workflows/); a row keeps its circuit for life
    circuit: str = None
    #: row -> dict (JSON-safe): what each event of the row must prove (e.g. a review's scores),
    #: written in the event's data under "record"
    record: Callable[[Any], dict] = None
    #: the states in which the row cannot change without an event: ``audit verify`` compares the
    #: row's record with the one its last event carries
    sealed: Any = ()

    def definition(self, row):
        """The definition ``row`` follows: its circuit's, else the subject's workflow."""
        return get_workflow(getattr(row, self.circuit) if self.circuit else self.workflow)

    def visible_to(self, row, user):
        if self.can_view is None:
            return staff_only(row, user)
        return bool(self.can_view(row, user))


def staff_only(row, user):
    """The default ``can_view``: staff and administrators only."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))


class _System:
    """FSI itself as an actor, when a rule fires a transition (a call's automation): its events
    have no user and the timelines say « Système »; a definition lets it act with role "system"."""

    role = "system"
    id = None
    is_active = True
    is_authenticated = False
    is_staff = False


SYSTEM = _System()

GUARDS: dict[str, Callable[[GuardContext], str | None]] = {}
#: guard name -> (rows, cache) -> None, see the module docstring
PRELOADERS: dict[str, Callable[[list, dict], None]] = {}
EFFECTS: dict[str, Callable[[GuardContext], None]] = {}
SUBJECTS: dict[str, Subject] = {}
#: guard or effect name -> what it checks or does, in words (lazy strings)
LABELS: dict[str, object] = {}
#: ids -> {id: display name}: who acted, for timelines (lent by the accounts domain)
ACTOR_NAMES: list = []
#: (workflow, trigger) -> ActionPage: actions done on a domain page of their own
ACTION_PAGES: dict = {}


@dataclass(frozen=True)
class ActionPage:
    """An action that needs more than a comment, an amount or a date (a file, a choice from a
    list): the actions card links to ``endpoint`` (called with ``object_id``), whose view
    records what it needs and fires the trigger. ``completes``: the guards that page satisfies
    (they wait for what it records), so they do not block the link."""

    endpoint: str
    completes: tuple = ()


class Provides:
    """What one domain lends the engine; handed over with ``register`` in the domain's init_app."""

    def __init__(self, domain):
        self.domain = domain
        self.guards, self.preloaders, self.effects, self.subjects, self.labels = {}, {}, {}, [], {}
        self.action_pages = {}

    def guard(self, name, label, preload=None):
        """``label``: what the guard checks, for people (the « Circuits » page)."""
        def collect(func):
            self.guards[name] = func
            self.labels[name] = label
            if preload is not None:
                self.preloaders[name] = preload
            return func

        return collect

    def effect(self, name, label):
        """``label``: what the effect does, for people (the « Circuits » page)."""
        def collect(func):
            self.effects[name] = func
            self.labels[name] = label
            return func

        return collect

    def action_page(self, workflow, trigger, endpoint, completes=()):
        """The trigger of ``workflow`` is done on the page ``endpoint`` (see ActionPage)."""
        self.action_pages[(workflow, trigger)] = ActionPage(endpoint, tuple(completes))

    def subject(self, workflow, model, owner_organisation, recipients, describe=str, can_view=None, circuit=None,
                record=None, sealed=()):
        """Declare the table a workflow moves. ``can_view(row, user) -> bool`` decides who may see a
        row's actions and timeline and fire actions on it through /workflow/...; without it, only
        staff and administrators may (``staff_only``). Firing still checks the transition's roles.
        ``circuit``: the column naming the definition a row follows, when several are circuits
        of ``workflow``. ``record(row) -> dict``: what every event of a row carries (its data's
        "record"), checked by ``audit verify`` against the row while its state is in ``sealed``."""
        self.subjects.append(Subject(workflow, model, owner_organisation, recipients, describe, can_view, circuit,
                                     record, sealed))


def _add(table, name, func, what):
    if name in table and table[name] is not func:
        raise ValueError(f"{what} {name!r} registered twice ({table[name].__module__} and {func.__module__})")
    table[name] = func


def register(provides):
    """Add a domain's guards, effects and subjects (the same functions may be registered again,
    as every application built in one process does; another function under a taken name is refused)."""
    for name, func in provides.guards.items():
        _add(GUARDS, name, func, "guard")
    for name, func in provides.preloaders.items():
        _add(PRELOADERS, name, func, "preload of guard")
    for name, func in provides.effects.items():
        _add(EFFECTS, name, func, "effect")
    LABELS.update(provides.labels)
    ACTION_PAGES.update(provides.action_pages)
    for subject in provides.subjects:
        known = SUBJECTS.get(subject.workflow)
        if known is not None and known != subject:
            raise ValueError(f"workflow {subject.workflow!r} already moves {known.model.__name__} rows")
        SUBJECTS[subject.workflow] = subject


def label_of(name):
    """A guard's or an effect's label, else its name."""
    return LABELS.get(name, name)


def register_actor_names(func):
    """``func(ids) -> {id: name}``, for the timelines (the accounts domain lends it)."""
    ACTOR_NAMES[:] = [func]


def actor_names(ids):
    return ACTOR_NAMES[0](ids) if ACTOR_NAMES and ids else {}


@contextmanager
def overridden(guards=None, effects=None, preloaders=None):
    """Replace some guards, effects or preloads for the duration of a ``with`` block (tests), then
    put the registered ones back; a name given None is taken away for the block."""
    saved = [(table, dict(table)) for table in (GUARDS, EFFECTS, PRELOADERS)]
    try:
        for table, replacements in ((GUARDS, guards), (EFFECTS, effects), (PRELOADERS, preloaders)):
            for name, func in (replacements or {}).items():
                if func is None:
                    table.pop(name, None)
                else:
                    table[name] = func
        yield
    finally:
        for table, content in saved:
            table.clear()
            table.update(content)


def subject_for_row(row):
    for subject in SUBJECTS.values():
        if isinstance(row, subject.model):
            return subject
    raise LookupError(f"no workflow moves {type(row).__name__} rows")


def definition_of(row):
    """The workflow definition ``row`` follows (its circuit's)."""
    return subject_for_row(row).definition(row)
