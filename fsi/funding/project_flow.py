"""What the funding domain lends the engine on the application's workflows (both circuits): the
project opens when the application is awarded, starts with its agreement (or without one), and
leaves with it (renunciation, abandonment: unpaid tranches and open reports are cancelled)."""
from decimal import Decimal

from flask_babel import gettext as _

from fsi.funding import payments, projects, reports
from fsi.i18n import lazy_gettext as _l
from fsi.workflow import Provides
from fsi.workflow.registry import Reason, Remedy

provides = Provides("funding-projects")
for _workflow in ("application", "application_fsi"):
    # the signed agreement, its dates and its document are recorded on the project's page
    provides.action_page(_workflow, "sign_agreement", "funding.sign_agreement", completes=("agreement_recorded",))


@provides.guard("agreement_recorded", _l("la convention signée, ses dates et son document sont enregistrés"))
def agreement_recorded(ctx):
    project = projects.project_of(ctx.row)
    if project is None or project.agreement_attachment_id is None or project.starts_on is None:
        return Reason(_("Enregistrez d'abord la convention signée (date, document, dates du projet)."),
                      Remedy(_l("Enregistrer la convention"), "funding.sign_agreement", {"object_id": ctx.row.id}))
    return None


@provides.effect("open_project", _l("ouvre le projet financé, avec le montant accordé"))
def open_project(ctx):
    projects.open_project(ctx.row)


@provides.effect("start_project", _l("démarre le projet : ses dates, ses rapports et ses versements"))
def start_project(ctx):
    project = projects.open_project(ctx.row)  # a file awarded before projects existed gets one now
    if project is not None:
        projects.start(project, signed_on=ctx.data.get("date"))


@provides.effect("release_project", _l("annule les versements non faits et les rapports attendus ; "
                                       "calcule ce qui reste dû"))
def release_project(ctx):
    """The application leaves: what was not paid is cancelled, what is still due (staff say it
    when they record an abandonment; nothing when the applicant renounces) is kept, the rest of
    what was paid is to be returned."""
    project = projects.project_of(ctx.row)
    if project is None:
        return
    reason = ctx.comment or ""
    payments.release_unpaid(project, ctx.actor, reason, ctx.data.get("still_due", Decimal("0.00")))
    reports.cancel_open_reports(project, ctx.actor, reason)
