"""Funded projects through the API: the list and a project with its agreement, amendments,
extensions, tranches (with the user's actions on each), reports and clawbacks. Who sees what is
fsi.funding.access's, as on the « Projets financés » pages."""
from flask_login import current_user
from pydantic import Field

from fsi.api.auth import token_required
from fsi.api.blueprint import bp
from fsi.api.errors import api_abort
from fsi.api.pagination import Page, PageQuery, page_of
from fsi.api.schemas.actions import action_out, label
from fsi.api.schemas.projects import (
    AgreementOut,
    AmendmentOut,
    ClawbackOut,
    ExtensionOut,
    IndicatorOut,
    ProjectDetail,
    ProjectSummary,
    ReportOut,
    SpendingOut,
    TrancheOut,
    money,
)
from fsi.api.spec import api, responses
from fsi.api.workflow import actions_out, state_label
from fsi.applications.models import Application
from fsi.db import db
from fsi.funding import payments, projects, reports
from fsi.funding.access import can_list_projects, can_view_project
from fsi.funding.models import REPORT_KIND_LABELS, Project
from fsi.limits import INT_MAX
from fsi.workflow.definitions import get_workflow


class ProjectQuery(PageQuery):
    call: int | None = Field(None, ge=1, le=INT_MAX, description="Only the projects of this call.")
    state: str | None = Field(None, pattern=r"^[a-z0-9_]{1,32}$",
                              description="Only the projects whose application is in this state (its stage).")


def summary_fields(project, application):
    return dict(
        id=project.id, application_id=application.id, reference=application.reference, title=application.title,
        organisation_id=application.organisation_id, call_id=application.call_id, state=application.state,
        state_label=state_label(application),
        granted_amount=money(project.granted_amount), paid_total=money(project.paid_total),
        remaining=money(projects.remaining(project)), due_amount=money(project.due_amount),
        starts_on=project.starts_on, ends_on=project.ends_on, overdue=projects.is_overdue(project),
        lapsed_on=project.lapsed_on, opened_at=project.opened_at)


@bp.get("/projects")
@token_required
@api.validate(query=ProjectQuery, resp=responses(Page[ProjectSummary], 401, 403), tags=["projects"])
def project_list(query: ProjectQuery):
    """The funded projects

    Newest first: every one for staff; for an applicant, their organisation's and those it
    carries with another.
    """
    if not can_list_projects(current_user):
        api_abort(403, "forbidden", "Only staff and the users of a housing body follow funded projects.")
    # the funding domain's list, in SQL: a page of it, its total kept per user and filters
    stmt = projects.projects_query(current_user, query.call, query.state)
    return Page[ProjectSummary](**page_of(stmt, query, lambda rows: [ProjectSummary(**summary_fields(p, a))
                                                                     for p, a in rows],
                                          count_key=("projects", current_user.id, query.call, query.state)))


def tranche_out(row):
    tranche, workflow = row.tranche, get_workflow("payment")
    return TrancheOut(id=tranche.id, position=tranche.position, label=tranche.label, amount=money(tranche.amount),
                      is_balance=tranche.is_balance, condition_report_id=tranche.condition_report_id,
                      state=tranche.state, state_label=label(workflow.state_label(tranche.state)),
                      due_on=tranche.due_on, paid_on=tranche.paid_on, paid_amount=money(tranche.paid_amount),
                      version=tranche.version, actions=[action_out(a) for a in row.actions])


def report_out(row, user):
    report = row.report
    return ReportOut(
        id=report.id, kind=report.kind.value, kind_label=label(REPORT_KIND_LABELS[report.kind]), due_on=report.due_on,
        overdue=row.overdue, state=report.state, state_label=label(row.state_label), submitted_at=report.submitted_at,
        achievements=report.achievements, difficulties=report.difficulties, lessons=report.lessons,
        indicators=[IndicatorOut(label=str(item.get("label") or ""), measured=str(item.get("measured") or ""))
                    for item in report.indicators or []],
        spending=[SpendingOut(label=str(line.get("label") or ""), planned=money(_amount(line.get("planned"))),
                              actual=money(_amount(line.get("actual"))), eligible=bool(line.get("eligible")))
                  for line in report.spending or []],
        attachment_ids=list(report.attachment_ids or []), version=report.version,
        actions=actions_out(report, user))


def _amount(value):
    return None if value in (None, "") else value


@bp.get("/projects/<int:project_id>")
@token_required
@api.validate(resp=responses(ProjectDetail, 401, 404), tags=["projects"])
def project_detail(project_id):
    """A funded project

    Its figures, agreement, amendments, extensions, payment tranches, reports and clawbacks, with
    the actions the user may take on each tranche and report (fire them with
    `POST /payments/{id}/transitions` and `POST /reports/{id}/transitions`).
    """
    project = db.session.get(Project, project_id)
    if project is None or not can_view_project(project, current_user):
        api_abort(404, "not_found", "No such project, or not visible to you.")
    application = db.session.get(Application, project.application_id)
    schedule = payments.tranche_rows(project, current_user)
    return ProjectDetail(
        **summary_fields(project, application), version=project.version, extensions_used=project.extensions_used,
        agreement=AgreementOut(required=project.agreement_required, signed_on=project.agreement_signed_on,
                               attachment_id=project.agreement_attachment_id),
        amendments=[AmendmentOut(id=a.id, signed_on=a.signed_on, reason=a.reason, attachment_id=a.attachment_id)
                    for a in projects.amendments_of(project)],
        extensions=[ExtensionOut(id=x.id, months=x.months, previous_end=x.previous_end, new_end=x.new_end,
                                 reason=x.reason, granted_at=x.granted_at) for x in projects.extensions_of(project)],
        tranches=[tranche_out(row) for row in schedule],
        reports=[report_out(row, current_user) for row in reports.report_rows(project, current_user)],
        clawbacks=[ClawbackOut(id=c.id, amount=money(c.amount), reason=c.reason, computed_at=c.computed_at,
                               received_on=c.received_on) for c in schedule.clawbacks])
