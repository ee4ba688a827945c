"""What the funding domain lends the engine for workflows/payment.yaml: the tranche subject, its
guards and effects; and the guard ``nothing_left_to_pay`` of the application's ``close``."""
from flask import current_app
from flask_babel import gettext as _
from sqlmodel import select

from fsi.applications.models import Application
from fsi.applications.workflow import recipients as application_recipients
from fsi.db import db
from fsi.formatting import day, money
from fsi.funding import payments
from fsi.funding.access import can_view_project
from fsi.funding.models import Project, Report, Tranche
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import today
from fsi.workflow import Provides, tagged
from fsi.workflow.registry import Reason, Remedy

provides = Provides("funding-payments")
AWARDED = tagged("application", "awarded")
ACCEPTED = tagged("report", "accepted")
#: F3's page of a report, the remedy of a payment waiting for it (linked once that page exists)
REPORT_PAGE = "funding.report"


def preload(rows, cache):
    """The tranches' projects, their applications' states and the reports they wait for, in three
    queries for a whole schedule (the project page)."""
    if "funding.projects" in cache:
        return
    project_ids = {row.project_id for row in rows}
    cache["funding.projects"] = {p.id: p for p in db.session.exec(select(Project).where(Project.id.in_(project_ids)))}
    cache["funding.application_states"] = dict(db.session.exec(
        select(Project.id, Application.state).join(Application, Application.id == Project.application_id)
        .where(Project.id.in_(project_ids))).all())
    report_ids = {row.condition_report_id for row in rows if row.condition_report_id}
    cache["funding.reports"] = {r.id: r for r in db.session.exec(select(Report).where(Report.id.in_(report_ids)))}


def project_of(tranche, cache=None):
    if cache and "funding.projects" in cache:
        return cache["funding.projects"][tranche.project_id]
    return db.session.get(Project, tranche.project_id)


def application_of(tranche):
    return db.session.exec(select(Application).join(Project, Project.application_id == Application.id)
                           .where(Project.id == tranche.project_id)).one()


def application_state(tranche, cache):
    if "funding.application_states" in cache:
        return cache["funding.application_states"][tranche.project_id]
    return application_of(tranche).state


def describe(tranche):
    return _("%(reference)s, versement « %(label)s »", reference=application_of(tranche).reference,
             label=tranche.label)


provides.subject("payment", Tranche, owner_organisation=lambda tranche: application_of(tranche).organisation_id,
                 recipients=lambda tranche, audience: application_recipients(application_of(tranche), audience),
                 describe=describe, can_view=lambda tranche, user: can_view_project(project_of(tranche), user))


@provides.guard("project_running", _l("le projet a démarré, n'est pas caduc et le dossier reste accordé"),
                preload=preload)
def project_running(ctx):
    project = project_of(ctx.row, ctx.cache)
    if project.starts_on is None:
        return _("Le projet n'a pas encore démarré.")
    if project.lapsed_on is not None or application_state(ctx.row, ctx.cache) not in AWARDED:
        return _("Le projet n'est plus en cours : aucun versement ne peut être demandé.")
    return None


@provides.guard("condition_report_accepted", _l("le rapport dont dépend la tranche est accepté"), preload=preload)
def condition_report_accepted(ctx):
    if ctx.row.condition_report_id is None:
        return None
    report = ctx.cache.get("funding.reports", {}).get(ctx.row.condition_report_id) \
        or db.session.get(Report, ctx.row.condition_report_id)
    if report.state in ACCEPTED:
        return None
    remedy = None
    if REPORT_PAGE in current_app.view_functions:
        remedy = Remedy(_l("Voir le rapport"), REPORT_PAGE, {"report_id": report.id})
    return Reason(_("Cette tranche attend l'acceptation du rapport dû le %(day)s.", day=day(report.due_on)), remedy)


@provides.guard("within_grant", _l("le total versé reste dans ce qui est dû au projet"), preload=preload)
def within_grant(ctx):
    project = project_of(ctx.row, ctx.cache)
    due = payments.due_of(project)
    if project.paid_total + ctx.row.amount > due:
        return _("Ce versement de %(amount)s porterait le total versé au-delà de ce qui est dû (%(due)s, "
                 "déjà versé %(paid)s).", amount=money(ctx.row.amount), due=money(due), paid=money(project.paid_total))
    return None


@provides.effect("add_to_paid_total", _l("ajoute le montant au total versé du projet, jamais au-delà"))
def add_to_paid_total(ctx):
    tranche = ctx.row
    payments.add_to_paid_total(tranche, tranche.amount)
    tranche.paid_on, tranche.paid_amount = ctx.data.get("date") or today(), tranche.amount
    db.session.add(tranche)
    db.session.flush()


@provides.guard("nothing_left_to_pay", _l("chaque tranche est versée ou annulée, chaque reversement reçu"))
def nothing_left_to_pay(ctx):
    project = db.session.exec(select(Project).where(Project.application_id == ctx.row.id)).first()
    if project is None or payments.nothing_left(project):
        return None
    return _("Des versements restent à effectuer ou des reversements à recevoir : le dossier ne peut pas être soldé.")


def committed(sender, application_ids=(), **kwargs):
    """The applications domain's ``committed`` hook: what funded grants really commit."""
    return payments.committed_amounts(application_ids)
