"""Staff assessment: the call's applications, the eligibility checklist, the regional opinion,
conflicts recorded by staff, and reviewer assignments."""
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from fsi.accounts.models import Organisation, User
from fsi.applications.models import Application
from fsi.applications.services import counts_by_call_and_state
from fsi.calls.models import Call
from fsi.calls.services import all_calls
from fsi.db import db, utcnow
from fsi.review import assignments as assigning
from fsi.review import eligibility
from fsi.review.access import can_assess
from fsi.review.conflicts import conflicts_by_application, delete_assignment, record_conflict
from fsi.review.forms import (
    AssignForm,
    BulkAssignForm,
    ConflictForm,
    EligibilityItemForm,
    EmptyForm,
    OpinionForm,
    eligibility_answers,
    eligibility_form,
)
from fsi.review.models import Assignment, ConflictSource, EligibilityItem
from fsi.review.ranking import consolidation_for, submitted_applications
from fsi.review.scoring import criteria_of, set_aside_reviews
from fsi.web import back_to, card_form, get_or_404, render_form, requires

#: reviewers have three weeks by default
REVIEW_DAYS = 21


def default_deadline():
    return (utcnow() + timedelta(days=REVIEW_DAYS)).date()


@requires(can_assess)
def index():
    return render_template("review/index.html", calls=all_calls(), counts=counts_by_call_and_state())


@requires(can_assess)
def call_applications(call_id):
    call = get_or_404(Call, call_id)
    rows = submitted_applications(call)
    applications = [a for a, _o in rows]
    return render_template("review/call_applications.html", call=call, rows=rows,
                           checklist=eligibility.eligibility_summary(applications),
                           status=assigning.review_status(applications),
                           bulk_form=BulkAssignForm(data={"deadline": default_deadline()}))


@requires(can_assess)
def bulk_assign(call_id):
    call = get_or_404(Call, call_id)
    back = back_to(url_for("review.call_applications", call_id=call.id))
    return card_form(BulkAssignForm(), lambda form: assigning.bulk_assign(call, form.per_application.data,
                                                                          form.deadline.data, current_user),
                     lambda created: _("%(count)s désignation(s) créée(s).", count=len(created)), back)


@requires(can_assess)
def eligibility_items(call_id):
    call = get_or_404(Call, call_id)
    form = EligibilityItemForm(prefix="new")
    if form.validate_on_submit():
        eligibility.add_item(call.id, form.label_fr.data, form.label_en.data)
        flash(_("Point de contrôle ajouté."), "success")
        return redirect(url_for("review.eligibility_items", call_id=call.id))
    forms = [(item, EligibilityItemForm(prefix=f"item{item.id}", formdata=None,
                                        data={"label_fr": item.label.get("fr"), "label_en": item.label.get("en"),
                                              "active": item.active}))
             for item in eligibility.items_for_call(call.id, include_retired=True)]
    return render_form("review/eligibility_items.html", call=call, forms=forms, form=form)


@requires(can_assess)
def update_eligibility_item(item_id):
    item = get_or_404(EligibilityItem, item_id)
    back = back_to(url_for("review.eligibility_items", call_id=item.call_id))
    return card_form(EligibilityItemForm(prefix=f"item{item.id}"),
                     lambda form: eligibility.update_item(item, form.label_fr.data, form.label_en.data,
                                                          form.active.data),
                     _("Point de contrôle enregistré."), back)


def assessment_context(application):
    call = db.session.get(Call, application.call_id)
    criteria = criteria_of(call.id)
    items = eligibility.items_for_call(call.id)
    checks = eligibility.checks_for(application.id)
    findings = eligibility.findings(application, items)
    conflicts = conflicts_by_application([application])[application.id]
    assigned = assigning.assignments_of([application.id])[application.id]
    opinion = eligibility.opinion_of(application.id)
    assign_form = AssignForm(prefix="assign", formdata=None, data={"deadline": default_deadline()})
    candidates = assigning.reviewer_candidates(application, conflicts, assigned)
    assign_form.reviewer_ids.choices = [SelectChoice(c.id, c.name) for c in candidates if not c.unavailable]
    conflict_form = ConflictForm(prefix="conflict", formdata=None)
    conflict_form.user_id.choices = [SelectChoice(m.id, m.full_name)
                                     for m in assigning.committee_members() if m.id not in conflicts]
    opinion_form = OpinionForm(prefix="opinion", formdata=None,
                               data={"opinion": opinion.opinion.value, "reasons": opinion.reasons} if opinion else {})
    set_aside = set_aside_reviews([application.id])[application.id]
    names = assigning.user_names({a.reviewer_id for a in assigned} | set(conflicts)
                                 | {r.set_aside_by_id for _id, r, _s in set_aside if r.set_aside_by_id})
    return dict(
        application=application, call=call, items=items, checks=checks, findings=findings,
        eligibility_form=eligibility_form([i for i in items if i.id not in findings], checks), opinion=opinion,
        opinion_form=opinion_form,
        conflicts=conflicts, names=names, assignments=assigned,
        set_aside={r.assignment_id: r for _id, r, _s in set_aside},
        assign_form=assign_form, reviewer_candidates=candidates, conflict_form=conflict_form, empty_form=EmptyForm(),
        organisation=db.session.get(Organisation, application.organisation_id), criteria=criteria,
        figures=consolidation_for(call, [application], criteria)[application.id],
    )


@requires(can_assess)
def assessment(application_id):
    return render_template("review/assessment.html", **assessment_context(get_or_404(Application, application_id)))


def _staff_application(application_id):
    """The application a staff action works on, and its assessment page, where the action returns."""
    application = get_or_404(Application, application_id)
    return application, back_to(url_for("review.assessment", application_id=application.id))


@requires(can_assess)
def record_eligibility(application_id):
    application, back = _staff_application(application_id)
    findings = eligibility.findings(application)
    items = [item for item in eligibility.items_for_call(application.call_id) if item.id not in findings]
    return card_form(eligibility_form(items, {}, formdata=request.form),
                     lambda form: eligibility.record_checks(application, eligibility_answers(form, items),
                                                            current_user),
                     _("Grille de recevabilité enregistrée."), back)


@requires(can_assess)
def record_opinion(application_id):
    application, back = _staff_application(application_id)
    return card_form(OpinionForm(prefix="opinion"),
                     lambda form: eligibility.record_opinion(application, form.opinion.data, form.reasons.data,
                                                             current_user),
                     _("Avis de l'association régionale enregistré."), back)


@requires(can_assess)
def record_staff_conflict(application_id):
    application, back = _staff_application(application_id)
    form = ConflictForm(prefix="conflict")
    form.user_id.choices = [SelectChoice(m.id, m.full_name) for m in assigning.committee_members()]
    return card_form(form, lambda form: record_conflict(application, get_or_404(User, form.user_id.data),
                                                        ConflictSource.staff, form.reason.data, current_user),
                     lambda recorded: recorded.message(), back)


@requires(can_assess)
def assign_reviewer(application_id):
    application, back = _staff_application(application_id)
    form = AssignForm(prefix="assign")
    form.reviewer_ids.choices = [SelectChoice(m.id, m.full_name) for m in assigning.committee_members()]
    return card_form(form, lambda form: assigning.assign_many(application, form.reviewer_ids.data,
                                                              form.deadline.data, current_user),
                     lambda created: ngettext("%(num)d évaluateur désigné.", "%(num)d évaluateurs désignés.",
                                              len(created)), back)


@requires(can_assess)
def remove_assignment(assignment_id):
    assignment = get_or_404(Assignment, assignment_id)
    _application, back = _staff_application(assignment.application_id)
    return card_form(EmptyForm(), lambda form: delete_assignment(assignment), _("Désignation retirée."), back)
