"""A funded project's money: its schedule of tranches, the payments (never more than granted, nor
than finally due), the balance recomputed from the final report's actual spending, what is
released when the project stops, and the clawbacks (« reversements ») of what was paid too much.

Operations flush in the caller's transaction, never commit. States are asked by tag."""
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from flask_babel import gettext as _
from sqlalchemy import func, update
from sqlmodel import select

from fsi.applications.calculator import kind_for
from fsi.applications.models import Application
from fsi.calls.models import DEFAULT_SCHEDULE
from fsi.db import db, utcnow
from fsi.formatting import money
from fsi.funding import reports
from fsi.funding.access import can_manage_funding
from fsi.funding.models import Clawback, Project, Report, ReportKind, Tranche
from fsi.funding.projects import FundingError, call_of
from fsi.i18n import today
from fsi.workflow import tagged
from fsi.workflow.registry import SYSTEM
from fsi.workflow.service import available_actions_for, fire

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
PAID = tagged("payment", "paid")
#: not paid yet, not cancelled: money that may still go out
OUTSTANDING = tagged("payment", "outstanding")
#: not paid yet: cancelled when removed from the schedule or when the project stops
CANCELLABLE = tagged("payment", "cancellable")
AWARDED = tagged("application", "awarded")


def _cents(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_DOWN)


def tranches_of(project):
    return db.session.exec(select(Tranche).where(Tranche.project_id == project.id)
                           .order_by(Tranche.position)).all()


def clawbacks_of(project):
    return db.session.exec(select(Clawback).where(Clawback.project_id == project.id)
                           .order_by(Clawback.computed_at, Clawback.id)).all()


def due_of(project):
    """What may be paid in all: what is finally due once known, else the grant."""
    return project.due_amount if project.due_amount is not None else project.granted_amount


# --- The schedule ---------------------------------------------------------------------------

def split(total, shares):
    """``total`` in parts by percentage, each rounded down to the cent; the last takes the
    remainder, so the parts add up to ``total`` exactly."""
    parts = [_cents(total * Decimal(str(share)) / 100) for share in shares[:-1]]
    return [*parts, Decimal(total) - sum(parts, ZERO)]


def build_schedule(project):
    """The project's tranches from its call's payment schedule (once: a second call returns them).
    "agreement" is due at the start; "progress" waits for the first progress report, "final" for
    the final report and is the balance."""
    existing = tranches_of(project)
    if existing:
        return existing
    schedule = call_of(project).payment_schedule or [dict(item) for item in DEFAULT_SCHEDULE]
    reports = db.session.exec(select(Report).where(Report.project_id == project.id)
                              .order_by(Report.due_on, Report.id)).all()
    condition = {"agreement": None,
                 "progress": next((r.id for r in reports if r.kind == ReportKind.progress), None),
                 "final": next((r.id for r in reports if r.kind == ReportKind.final), None)}
    amounts = split(project.granted_amount, [item["share"] for item in schedule])
    tranches = []
    for item, amount in zip(schedule, amounts, strict=True):
        if amount <= 0:
            continue
        tranches.append(Tranche(project_id=project.id, position=len(tranches) + 1, label=item["label"],
                                amount=amount, condition_report_id=condition.get(item["on"]),
                                is_balance=item["on"] == "final",
                                due_on=project.starts_on if item["on"] == "agreement" else None))
    db.session.add_all(tranches)
    db.session.flush()
    return tranches


@dataclass
class ScheduleLine:
    """One line of an edited schedule; ``tranche_id`` None for a new tranche."""

    label: str
    amount: Decimal
    condition_report_id: int | None = None
    tranche_id: int | None = None
    is_balance: bool = False


def edit_schedule(project, actor, lines):
    """Staff change the schedule before the first payment: labels, amounts (adding up to the
    grant), conditions. Tranches left out are cancelled (``actor`` named in the event's comment)."""
    tranches = tranches_of(project)
    if any(t.state in PAID for t in tranches):
        raise FundingError(_("Un versement a déjà été effectué : l'échéancier ne se modifie plus."))
    lines = [line for line in lines if line.label.strip() or line.amount]
    _check_lines(project, lines)
    by_id = {t.id: t for t in tranches if t.state in OUTSTANDING}
    kept = {line.tranche_id for line in lines if line.tranche_id is not None}
    if kept - set(by_id):
        raise FundingError(_("Une tranche de l'échéancier n'existe plus : rechargez la page."))
    for tranche in by_id.values():
        if tranche.id not in kept:
            fire(tranche, "cancel", SYSTEM, comment=_("Retirée de l'échéancier par %(name)s.",
                                                      name=actor.full_name))
    position = max((t.position for t in tranches), default=0)
    for line in lines:
        tranche = by_id.get(line.tranche_id)
        if tranche is None:
            position += 1
            tranche = Tranche(project_id=project.id, position=position, label="", amount=line.amount)
        tranche.label, tranche.amount = line.label.strip(), line.amount
        tranche.condition_report_id, tranche.is_balance = line.condition_report_id, line.is_balance
        tranche.updated_at = utcnow()
        db.session.add(tranche)
    db.session.flush()
    return tranches_of(project)


def _check_lines(project, lines):
    if not lines:
        raise FundingError(_("L'échéancier compte au moins une tranche."))
    for line in lines:
        if not line.label.strip():
            raise FundingError(_("Chaque tranche a un libellé."), field="lines")
        if line.amount is None or line.amount <= 0:
            raise FundingError(_("Chaque tranche a un montant positif."), field="lines")
    total = sum((line.amount for line in lines), ZERO)
    if total != project.granted_amount:
        raise FundingError(_("Les tranches doivent totaliser la subvention accordée (%(granted)s ; "
                             "elles font %(total)s).", granted=money(project.granted_amount), total=money(total)),
                           field="lines")
    reports = set(db.session.exec(select(Report.id).where(Report.project_id == project.id)).all())
    if any(line.condition_report_id not in (None, *reports) for line in lines):
        raise FundingError(_("Une condition porte sur un rapport d'un autre projet."), field="lines")
    if sum(1 for line in lines if line.is_balance) > 1:
        raise FundingError(_("Un seul solde par échéancier."), field="lines")


# --- Paying ---------------------------------------------------------------------------------

def add_to_paid_total(tranche, amount):
    """ONE conditional UPDATE: two staff paying at once can never pay more than granted (nor than
    due), whatever each of them read before. Refused when it would."""
    result = db.session.execute(
        update(Project).where(Project.id == tranche.project_id,
                              Project.paid_total + amount <= Project.granted_amount,
                              Project.due_amount.is_(None) | (Project.paid_total + amount <= Project.due_amount))
        .values(paid_total=Project.paid_total + amount)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise FundingError(_("Ce versement dépasserait ce qui est dû au projet : il n'est pas enregistré."))
    project = db.session.get(Project, tranche.project_id)
    db.session.expire(project, ["paid_total"])
    return project


# --- The balance, release, clawbacks ----------------------------------------------------------

def recompute_balance(project, final_report):
    """What is finally due = min(granted, rate × actual eligible cost, the kind's cap), every term
    kept in ``due_terms``; the balance becomes due − paid on the other tranches (cancelled when
    nothing is left); a clawback when more was paid than is due."""
    application = db.session.get(Application, project.application_id)
    kind = kind_for(application.call_id, application.kind)
    spent = reports.spending_totals(final_report).actual_eligible  # as the report form shows it
    terms = {"granted": project.granted_amount, "actual_eligible": spent}
    candidates = [project.granted_amount]
    if kind is not None:
        terms |= {"rate": Decimal(kind.rate), "by_rate": _cents(kind.rate * spent), "cap": _cents(kind.cap)}
        candidates += [terms["by_rate"], terms["cap"]]
    due = max(min(candidates), ZERO)
    project.due_amount = due
    project.due_terms = {**{name: str(value) for name, value in terms.items()}, "due": str(due),
                         "report_id": final_report.id, "kind": application.kind}
    db.session.add(project)
    db.session.flush()
    _settle_balance(project, due)
    _claw_back(project, _("Bilan final : dépenses éligibles réelles inférieures au prévu."))
    return due


def _settle_balance(project, due):
    tranches = tranches_of(project)
    balance = next((t for t in tranches if t.is_balance and t.state in OUTSTANDING), None)
    if balance is None:
        return
    paid_elsewhere = sum((t.paid_amount or ZERO for t in tranches if t.id != balance.id and t.state in PAID), ZERO)
    amount = due - paid_elsewhere
    if amount > 0:
        balance.amount, balance.updated_at = amount, utcnow()
        db.session.add(balance)
        db.session.flush()
    elif balance.state in CANCELLABLE:
        fire(balance, "cancel", SYSTEM, comment=_("Rien ne reste dû après le bilan final."))


def release_unpaid(project, actor, reason, still_due):
    """The project stops (renounced, abandoned): what was not paid is cancelled, what is still due
    is recorded (at most the grant), and more paid than that is to be paid back."""
    for tranche in tranches_of(project):
        if tranche.state in CANCELLABLE:
            fire(tranche, "cancel", SYSTEM, comment=reason)
    due = min(max(Decimal(still_due or 0), ZERO), project.granted_amount)
    project.due_amount = due
    project.due_terms = {"released": str(due), "reason": reason, "by_id": getattr(actor, "id", None)}
    db.session.add(project)
    db.session.flush()
    _claw_back(project, reason)
    return due


def _claw_back(project, reason):
    """A clawback of what was paid beyond what is due, less what earlier clawbacks already ask."""
    db.session.refresh(project, ["paid_total"])
    asked = sum((c.amount for c in clawbacks_of(project)), ZERO)
    excess = project.paid_total - due_of(project) - asked
    if excess <= 0:
        return None
    clawback = Clawback(project_id=project.id, amount=excess, reason=str(reason))
    db.session.add(clawback)
    db.session.flush()
    return clawback


def record_clawback_received(clawback, actor, received_on):
    if clawback.received_on is not None:
        raise FundingError(_("Ce reversement est déjà enregistré comme reçu."))
    if received_on is None or received_on > today():
        raise FundingError(_("La date de réception ne peut pas être dans le futur."), field="received_on")
    clawback.received_on, clawback.received_recorded_by_id = received_on, actor.id
    db.session.add(clawback)
    db.session.flush()
    return clawback


def nothing_left(project):
    """Every tranche paid or cancelled and every clawback received: the file may be closed."""
    return (not any(t.state in OUTSTANDING for t in tranches_of(project))
            and all(c.received_on is not None for c in clawbacks_of(project)))


# --- What envelope and ceiling count ----------------------------------------------------------

def committed_amounts(application_ids):
    """{application id: what its grant really commits}: what is finally due once known, and never
    less than what was paid and not yet paid back (a clawback gives money back once received);
    once the project stopped with nothing recorded, what was paid. Applications not answered for
    count their approved amount while awarded (the lower domains decide)."""
    if not application_ids:
        return {}
    ids = list(application_ids)
    # paid back, for these projects only (not an aggregate over every clawback of the fund)
    received = (select(Clawback.project_id, func.sum(Clawback.amount).label("amount"))
                .join(Project, Project.id == Clawback.project_id)
                .where(Clawback.received_on.is_not(None), Project.application_id.in_(ids))
                .group_by(Clawback.project_id).subquery())
    rows = db.session.exec(
        select(Project, Application.state, received.c.amount)
        .join(Application, Application.id == Project.application_id)
        .outerjoin(received, received.c.project_id == Project.id)
        .where(Project.application_id.in_(ids))).all()
    answers = {}
    for project, state, paid_back in rows:
        kept = project.paid_total - Decimal(paid_back or 0)
        if project.due_amount is not None:
            answers[project.application_id] = max(project.due_amount, kept)
        elif state not in AWARDED:
            answers[project.application_id] = kept
    return answers


# --- For the project page ---------------------------------------------------------------------

@dataclass
class TrancheRow:
    tranche: Tranche
    #: what ``user`` may do on it now (the tranche's page does it)
    actions: list
    #: the report it waits for, if any
    report: Report | None


class Schedule(list):
    """The tranche rows, with what templates/funding/_tranches.html shows around them."""

    def __init__(self, rows, project, clawbacks, manage):
        super().__init__(rows)
        self.project, self.clawbacks, self.manage = project, clawbacks, manage
        #: staff may still change it: nothing paid yet
        self.editable = manage and not any(row.tranche.state in PAID for row in rows)


def tranche_rows(project, user):
    """The tranches with what ``user`` may do on each and the report each waits for, and the
    project's clawbacks: for templates/funding/_tranches.html, in a fixed number of queries
    whatever the number of tranches."""
    tranches = tranches_of(project)
    report_ids = {t.condition_report_id for t in tranches if t.condition_report_id}
    reports = {r.id: r for r in db.session.exec(select(Report).where(Report.id.in_(report_ids)))} if report_ids else {}
    actions = available_actions_for(tranches, user) if tranches else {}
    rows = [TrancheRow(t, actions.get(t.id, []), reports.get(t.condition_report_id)) for t in tranches]
    return Schedule(rows, project, clawbacks_of(project), can_manage_funding(user))


__all__ = ["build_schedule", "edit_schedule", "ScheduleLine", "recompute_balance", "release_unpaid",
           "record_clawback_received", "nothing_left", "committed_amounts", "tranche_rows", "tranches_of",
           "clawbacks_of", "due_of", "Schedule"]
