"""The one service through which every state change passes (web, API, CLI, demo).

``fire`` checks who acts, the comment and data; then the workflow's machine carries the change:
its condition runs every guard, the state is swapped on the row's version, and its ``after``
callbacks write the event, run the effects the definition lists and queue the notifications.
It flushes in the caller's transaction and never commits. ``available_actions`` tells a page
what the user may do now, and why an action is blocked.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from fsi.amounts import AmountError, parse_amount, quantize_amount
from fsi.db import StaleObject, db
from fsi.errors import Refused
from fsi.i18n import pick
from fsi.limits import MONEY_MAX, TITLE_MAX, date_error, text_error, version_from
from fsi.mail.render import queue_template_mail
from fsi.workflow.machine import RowAdapter, allows, guard_reasons, machine_for
from fsi.workflow.registry import PRELOADERS, GuardContext, subject_for_row

__all__ = ["Action", "StaleObject", "WorkflowRefused", "fire", "available_actions",
           "available_actions_for", "parse_action_data"]


class WorkflowRefused(Refused):
    """The action may not happen; ``reasons`` are French sentences for the user, ``action`` the
    refused transition's label (pages say « action » impossible : reasons)."""

    def __init__(self, reasons, action=None):
        super().__init__(reasons)
        self.action = action


@dataclass(frozen=True)
class Action:
    """What a user may do on a row now (or could do once the blocking reasons are gone)."""

    trigger: str
    label: dict
    dest: str
    #: "required", "optional" or "none"
    comment: str
    #: ("amount", "date", ...) the action's small form asks for
    data: tuple
    enabled: bool
    #: why it is blocked (guards' ``Reason``, each with its remedy when a page fixes it)
    reasons: tuple = ()
    #: False when some of its guards were not evaluated (a list page): its own page tells
    checked: bool = True

    @property
    def remedies(self):
        """Where the blocking reasons are fixed, each once."""
        return list({(r.remedy.label, r.remedy.endpoint, tuple(sorted(r.remedy.values.items()))): r.remedy
                     for r in self.reasons if r.remedy is not None}.values())

    @property
    def needs_form(self):
        return self.comment != "none" or bool(self.data)


# --- Checks that need no guard --------------------------------------------------------------

def permission_reasons(row, transition, actor, subject):
    """Role and object-level rights: empty when the actor may fire the transition on this row."""
    role = getattr(getattr(actor, "role", None), "value", getattr(actor, "role", None))
    if actor is None or not getattr(actor, "is_active", True) or role not in transition.roles:
        return [_("Action non autorisée pour votre rôle.")]
    if role == "applicant":
        owner = subject.owner_organisation(row)
        if owner is None or actor.organisation_id != owner:
            return [_("Action réservée à l'organisme porteur du dossier.")]
    if role == "reviewer" and not subject.visible_to(row, actor):
        return [_("Action non autorisée sur ce dossier.")]
    return []


def comment_reasons(transition, comment):
    if transition.comment == "required" and not comment:
        return [_("Un commentaire est obligatoire pour cette action.")]
    if transition.comment == "none" and comment:
        return [_("Cette action ne prend pas de commentaire.")]
    return []


def _parse_amount(value):
    try:
        amount = parse_amount(value)
    except AmountError:
        amount = None
    if amount is None or amount <= 0 or amount > MONEY_MAX:
        raise ValueError(_("Le montant doit être un nombre positif en euros (au plus 2 décimales)."))
    return quantize_amount(amount)


def _parse_still_due(value):
    """An amount that may be zero (what an abandoned project still deserves)."""
    try:
        amount = parse_amount(value)
    except AmountError:
        amount = None
    if amount is None or amount < 0 or amount > MONEY_MAX:
        raise ValueError(_("Le montant doit être un nombre positif ou nul en euros (au plus 2 décimales)."))
    return quantize_amount(amount)


def _parse_date(value):
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(_("La date n'est pas valide (format attendu : AAAA-MM-JJ).")) from None
    if message := date_error(value):
        raise ValueError(str(message))
    return value


def _parse_document(value):
    text = str(value).strip()
    if message := text_error(text, TITLE_MAX, multiline=False):
        raise ValueError(str(message))
    return text or None


DATA_PARSERS = {"amount": _parse_amount, "date": _parse_date,
                "document": _parse_document, "still_due": _parse_still_due}
MISSING_DATA = {"amount": lambda: _("Le montant est obligatoire."),
                "date": lambda: _("La date est obligatoire."),
                "document": lambda: _("Le document est obligatoire."),
                "still_due": lambda: _("Le montant est obligatoire.")}


def parse_action_data(transition, data):
    """(clean data, reasons): every declared field present and valid, nothing else given."""
    data = dict(data or {})
    clean, reasons = {}, []
    for name in sorted(set(data) - set(transition.data)):
        reasons.append(_("Donnée inattendue pour cette action : %(name)s.", name=name))
    for name in transition.data:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            reasons.append(MISSING_DATA[name]())
            continue
        try:
            clean[name] = DATA_PARSERS[name](value)
        except ValueError as error:
            reasons.append(str(error))
    return clean, reasons


# --- Firing -------------------------------------------------------------------------------

def _version_or_stale(row, expected_version):
    """The version the caller saw (a form's hidden field may give it as text), or None."""
    if expected_version is None or (isinstance(expected_version, str) and not expected_version.strip()):
        return None
    expected = version_from(expected_version.strip() if isinstance(expected_version, str) else expected_version)
    if expected != row.version:
        raise StaleObject(row)
    return expected



def _transition_or_refuse(workflow, trigger, row):
    transition = workflow.transition(trigger)
    if transition is None:
        raise WorkflowRefused([_("Action inconnue : %(trigger)s.", trigger=trigger)])
    if not allows(workflow.name, row.state, trigger):
        state = pick(workflow.state_label(row.state))
        raise WorkflowRefused([_("Cette action n'est pas possible dans l'état actuel (%(state)s).", state=state)])
    return transition


def fire(row, trigger, actor, *, comment=None, data=None, expected_version=None):
    """Fire ``trigger`` on ``row`` as ``actor``; returns the event written (a WrittenEvent).

    Raises WorkflowRefused (wrong role or organisation, comment or data missing or invalid,
    a guard failing: every reason at once) or StaleObject (the row changed since it was read,
    or ``expected_version`` is not the row's version). Flushes, never commits.
    """
    subject = subject_for_row(row)
    workflow = subject.definition(row)
    expected_version = _version_or_stale(row, expected_version)
    transition = _transition_or_refuse(workflow, trigger, row)
    comment = (comment or "").strip() or None
    reasons = permission_reasons(row, transition, actor, subject)
    if reasons:
        raise WorkflowRefused(reasons, action=transition.label)
    clean, data_reasons = parse_action_data(transition, data)
    reasons = comment_reasons(transition, comment) + data_reasons
    if reasons:
        raise WorkflowRefused(reasons, action=transition.label)

    ctx = GuardContext(row=row, actor=actor, trigger=trigger, data=clean, comment=comment)
    loaded_version = expected_version if expected_version is not None else row.version
    adapter = RowAdapter(row, workflow, transition, ctx, loaded_version,
                         notify=lambda *args: _notify(subject, *args), kept_under=subject.workflow,
                         record=subject.record)
    if not machine_for(workflow.name).events[trigger].trigger(adapter):
        raise WorkflowRefused(adapter.reasons, action=transition.label)
    db.session.flush()
    return adapter.event


def _notify(subject, row, workflow, transition, event):
    """One mail per recipient, in the recipient's language (an address is mailed once)."""
    recipients = {}
    # the effects flushed what they wrote; the event waits for fire's one flush, with the mails
    with db.session.no_autoflush:
        for audience in transition.notify:
            for person in subject.recipients(row, audience) or ():
                recipients.setdefault(person.email, person)
    reference = subject.describe(row)
    state = workflow.state_label(event.to_state)
    for person in recipients.values():
        queue_template_mail(person, lambda language: f"[FSI] {reference} : {pick(state, language)}",
                            "mail/workflow/transition.txt", reference=reference, workflow=workflow,
                            transition=transition, event=event, state=state,
                            previous=workflow.state_label(event.from_state))


# --- What a user may do now ---------------------------------------------------------------

def _actions(row, actor, subject, workflow, cache, check_guards=True, only=None):
    actions = []
    for trigger in machine_for(workflow.name).get_triggers(row.state):
        transition = workflow.transition(trigger)
        if permission_reasons(row, transition, actor, subject):
            continue  # not this user's action: not shown at all
        reasons = ()
        if check_guards:
            ctx = GuardContext(row=row, actor=actor, trigger=trigger, cache=cache)
            reasons = tuple(guard_reasons(transition, ctx, only))
        checked = check_guards and (only is None or set(transition.guards) <= only)
        actions.append(Action(trigger=trigger, label=transition.label, dest=transition.dest,
                              comment=transition.comment, data=transition.data,
                              enabled=not reasons, reasons=reasons, checked=checked))
    return actions


def available_actions(row, actor):
    """The actions ``actor`` may take on ``row`` now, blocked ones with their reasons."""
    subject = subject_for_row(row)
    return _actions(row, actor, subject, subject.definition(row), cache={})


def available_actions_for(rows, actor, *, check_guards=True):
    """``{row.id: [Action, ...]}`` for a list page, in a constant number of queries: only the
    guards with a ``preload`` function are evaluated (it runs once for all the rows); an action
    whose other guards were not evaluated says so (``checked`` False: its page tells). With
    ``check_guards=False``, only roles and states are looked at."""
    rows = list(rows)
    if not rows:
        return {}
    subject = subject_for_row(rows[0])
    definitions = {row.id: subject.definition(row) for row in rows}
    cache = {}
    only = set()
    if check_guards:
        needed = {name for row in rows for trigger in machine_for(definitions[row.id].name).get_triggers(row.state)
                  if not permission_reasons(row, definitions[row.id].transition(trigger), actor, subject)
                  for name in definitions[row.id].transition(trigger).guards}
        only = {name for name in needed if name in PRELOADERS}
        for preload in dict.fromkeys(PRELOADERS[name] for name in sorted(only)):  # once per function
            preload(rows, cache)
    return {row.id: _actions(row, actor, subject, definitions[row.id], cache, check_guards, only) for row in rows}
