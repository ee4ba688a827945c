"""The funded projects' pages: the list, a project's page (figures, agreement, amendments,
extensions, its tranches and reports, one history), the signed agreement's page (the
``sign_agreement`` step) and the staff's small forms (amendment, extension, « caducité »)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.db import StaleObject, db
from fsi.errors import Refused
from fsi.formatting import day
from fsi.funding import payments, projects, reports
from fsi.funding.access import can_list_projects, can_manage_funding, can_view_project
from fsi.funding.models import REPORT_KIND_LABELS, Project
from fsi.funding.project_forms import AgreementForm, AmendmentForm, ExtensionForm, LapseForm
from fsi.funding.timeline import project_timeline
from fsi.i18n import pick, today
from fsi.limits import bounded_int
from fsi.web import back_to, card_form, get_or_404, render_form, requires, show_refusal
from fsi.workflow import tagged
from fsi.workflow.definitions import circuits
from fsi.workflow.registry import definition_of
from fsi.workflow.service import available_actions, fire
from fsi.workflow.ui import without_guards

OUTSTANDING = tagged("payment", "outstanding")


@requires(can_list_projects)
def index():
    call_id = bounded_int(request.args.get("call"))
    state = request.args.get("state") or None
    rows = projects.projects_for(current_user, call_id=call_id, state=state)
    calls = db.session.exec(select(Call).order_by(Call.title)).all() if current_user.is_staff else []
    labels = {}
    for workflow in circuits("application"):
        labels.update({name: workflow.state_label(name) for name in workflow.states})
    states = {name: labels.get(name, {"fr": name, "en": name}) for name in projects.project_states()}
    return render_template("funding/projects.html", rows=rows, calls=calls, states=states, call_id=call_id,
                           state=state, overdue={p.id for p, _a in rows if projects.is_overdue(p)})


@requires(can_list_projects)
def show(project_id):
    project = get_or_404(Project, project_id, visible_to=can_view_project)
    application = db.session.get(Application, project.application_id)
    tranche_rows = payments.tranche_rows(project, current_user)
    report_rows = reports.report_rows(project, current_user)
    extensions, amendments = projects.extensions_of(project), projects.amendments_of(project)
    next_tranche = next((row.tranche for row in tranche_rows if row.tranche.state in OUTSTANDING), None)
    next_report = next((row.report for row in report_rows if row.report.state in reports.DUE), None)
    manage = can_manage_funding(current_user)
    return render_template(
        "funding/project.html", project=project, application=application, call=projects.call_of(project),
        tranche_rows=tranche_rows, report_rows=report_rows, extensions=extensions, amendments=amendments,
        next_tranche=next_tranche, next_report=next_report,
        next_report_label=REPORT_KIND_LABELS[next_report.kind] if next_report else None,
        remaining=projects.remaining(project),
        overdue=projects.is_overdue(project), manage=manage,
        timeline=project_timeline(project, application, [r.tranche for r in tranche_rows],
                                  [r.report for r in report_rows], extensions, amendments),
        amendment_form=AmendmentForm(formdata=None, data={"signed_on": today()}) if manage else None,
        extension_form=ExtensionForm(formdata=None, data={"expected_version": project.version})
        if manage and projects.why_not_extendable(project) is None else None,
        lapse_form=LapseForm(formdata=None, data={"expected_version": project.version}) if manage else None,
    )


def _sign_action(application):
    for action in available_actions(application, current_user):
        if action.trigger == "sign_agreement":
            return without_guards(action, ("agreement_recorded",))
    return None


@requires(can_manage_funding)
def sign_agreement(object_id):
    """The ``sign_agreement`` step: the signature date, the signed document, the project's dates."""
    application = get_or_404(Application, object_id)
    call = db.session.get(Call, application.call_id)
    action = _sign_action(application)
    form = AgreementForm(data={"expected_version": application.version, "signed_on": today(), "starts_on": today(),
                               "ends_on": projects.add_months(today(), call.max_duration_months)})
    if request.method == "POST" and (action is None or not action.enabled):
        back_to(url_for("applications.show", application_id=application.id))
        raise Refused(action.reasons if action is not None else
                      _("Aucune convention n'est à enregistrer maintenant (état : %(state)s).",
                        state=pick(definition_of(application).state_label(application.state))))
    if form.validate_on_submit():
        try:
            project = projects.open_project(application)
            if project is None:
                raise Refused(_("Ce dossier n'a pas de montant accordé."))
            projects.record_agreement(project, current_user, form.signed_on.data, form.document.data,
                                      form.starts_on.data, form.ends_on.data)
            fire(application, "sign_agreement", current_user, comment=form.comment.data,
                 data={"date": form.signed_on.data}, expected_version=form.expected_version.data)
        except (Refused, StaleObject) as error:
            show_refusal(form, error)
        else:
            flash(_("Convention enregistrée : le projet %(reference)s a démarré.", reference=application.reference),
                  "success")
            return redirect(url_for("funding.show", project_id=project.id))
    return render_form("funding/project_agreement.html", application=application, call=call, action=action,
                       form=form)


def _managed(project_id):
    project = get_or_404(Project, project_id, visible_to=can_view_project)
    return project, back_to(url_for("funding.show", project_id=project.id))


@requires(can_manage_funding)
def add_amendment(project_id):
    project, back = _managed(project_id)
    return card_form(AmendmentForm(), lambda form: projects.add_amendment(
        project, current_user, form.signed_on.data, form.reason.data, form.document.data),
        _("Avenant enregistré."), back)


@requires(can_manage_funding)
def extend(project_id):
    project, back = _managed(project_id)
    return card_form(ExtensionForm(), lambda form: projects.extend(
        project, current_user, form.reason.data, form.expected_version.data),
        lambda extension: _("Projet prolongé jusqu'au %(day)s.", day=day(extension.new_end)), back)


@requires(can_manage_funding)
def record_lapse(project_id):
    project, back = _managed(project_id)
    return card_form(LapseForm(), lambda form: projects.record_lapse(
        project, current_user, form.reason.data, form.expected_version.data),
        _("Caducité enregistrée."), back)
