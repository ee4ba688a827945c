"""Staff assessment: the call's applications, the eligibility checklist, the regional opinion,
conflicts recorded by staff, and reviewer assignments."""
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select
from wtforms import SelectChoice

from fsi.accounts.models import Organisation, User
from fsi.applications.models import Application
from fsi.applications.services import counts_by_call_and_state
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.review import assignments as assigning
from fsi.review import eligibility
from fsi.review.conflicts import conflicts_by_application, delete_assignment, record_conflict
from fsi.review.errors import ReviewError
from fsi.review.forms import (
    AssignForm, BulkAssignForm, ConflictForm, EligibilityItemForm, EmptyForm, OpinionForm, eligibility_answers,
    eligibility_form,
)
from fsi.review.guards import review_status
from fsi.review.models import Assignment, ConflictSource, EligibilityItem, RegionalOpinion
from fsi.review.ranking import consolidation_for
from fsi.review.scoring import criteria_of
from fsi.review.views import bp
from fsi.review.views.common import flash_form_errors, get_or_404, require_staff, staff_application, staff_call


@bp.route("/")
@login_required
def index():
    require_staff()
    calls = db.session.exec(select(Call).order_by(Call.opens_at.desc())).all()
    return render_template("review/index.html", calls=calls, counts=counts_by_call_and_state())


@bp.route("/calls/<int:call_id>/applications")
@login_required
def call_applications(call_id):
    call = staff_call(call_id)
    rows = db.session.exec(select(Application, Organisation).join(Organisation, Organisation.id == Application.organisation_id)
                           .where(Application.call_id == call.id, Application.state != "draft")
                           .order_by(Application.reference)).all()
    applications = [a for a, _o in rows]
    bulk = BulkAssignForm(data={"deadline": (utcnow() + timedelta(days=21)).date()})
    return render_template("review/call_applications.html", call=call, rows=rows,
                           checklist=eligibility.eligibility_summary(applications),
                           status=review_status(applications), bulk_form=bulk)


@bp.route("/calls/<int:call_id>/assign", methods=["POST"])
@login_required
def bulk_assign(call_id):
    call = staff_call(call_id)
    form = BulkAssignForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        try:
            created = assigning.bulk_assign(call, form.per_application.data, form.deadline.data, current_user)
            db.commit()
            flash(_("%(count)s désignation(s) créée(s).", count=len(created)), "success")
        except ReviewError as error:
            db.rollback()
            flash(str(error), "error")
    return redirect(url_for("review.call_applications", call_id=call.id))


@bp.route("/calls/<int:call_id>/eligibility-items", methods=["GET", "POST"])
@login_required
def eligibility_items(call_id):
    call = staff_call(call_id)
    form = EligibilityItemForm(prefix="new")
    if form.validate_on_submit():
        eligibility.add_item(call.id, form.label_fr.data, form.label_en.data)
        db.commit()
        flash(_("Point de contrôle ajouté."), "success")
        return redirect(url_for("review.eligibility_items", call_id=call.id))
    items = eligibility.items_for_call(call.id, include_retired=True)
    db.commit()  # the defaults, when this call had no checklist yet
    forms = [(item, EligibilityItemForm(prefix=f"item{item.id}", formdata=None,
                                        data={"label_fr": item.label.get("fr"), "label_en": item.label.get("en"),
                                              "active": item.active})) for item in items]
    return render_template("review/eligibility_items.html", call=call, forms=forms, form=form)


@bp.route("/eligibility-items/<int:item_id>", methods=["POST"])
@login_required
def update_eligibility_item(item_id):
    require_staff()
    item = get_or_404(EligibilityItem, item_id)
    form = EligibilityItemForm(prefix=f"item{item.id}")
    if form.validate_on_submit():
        eligibility.update_item(item, form.label_fr.data, form.label_en.data, form.active.data)
        db.commit()
        flash(_("Point de contrôle enregistré."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("review.eligibility_items", call_id=item.call_id))


def assessment_context(application):
    call = db.session.get(Call, application.call_id)
    criteria = criteria_of(call.id)
    items = eligibility.items_for_call(call.id)
    checks = eligibility.checks_for(application.id)
    conflicts = conflicts_by_application([application])[application.id]
    members = assigning.committee_members()
    users = {u.id: u for u in db.session.exec(select(User).where(User.id.in_(set(conflicts)))).all()} if conflicts else {}
    assigned = assigning.assignments_of([application.id])[application.id]
    reviewers = {u.id: u for u in members}
    opinion = db.session.exec(select(RegionalOpinion).where(RegionalOpinion.application_id == application.id)).first()
    assign_form = AssignForm(prefix="assign", formdata=None,
                             data={"deadline": (utcnow() + timedelta(days=21)).date()})
    taken = {a.reviewer_id for a in assigned}
    assign_form.reviewer_id.choices = [SelectChoice(m.id, m.full_name) for m in members if m.id not in conflicts and m.id not in taken]
    conflict_form = ConflictForm(prefix="conflict", formdata=None)
    conflict_form.user_id.choices = [SelectChoice(m.id, m.full_name) for m in members if m.id not in conflicts]
    opinion_form = OpinionForm(prefix="opinion", formdata=None,
                               data={"opinion": opinion.opinion.value, "reasons": opinion.reasons} if opinion else {})
    return dict(
        application=application, call=call, items=items, checks=checks,
        eligibility_form=eligibility_form(items, checks), opinion=opinion, opinion_form=opinion_form,
        conflicts=conflicts, conflict_users=users, assignments=assigned, reviewers=reviewers,
        assign_form=assign_form, conflict_form=conflict_form, empty_form=EmptyForm(),
        organisation=db.session.get(Organisation, application.organisation_id),
        criteria=criteria,
        figures=consolidation_for(call, [application], criteria)[application.id],
    )


@bp.route("/applications/<int:application_id>")
@login_required
def assessment(application_id):
    application = staff_application(application_id)
    context = assessment_context(application)
    db.commit()  # the call's default checklist, if it had none
    return render_template("review/assessment.html", **context)


def _back(application):
    return redirect(url_for("review.assessment", application_id=application.id))


@bp.route("/applications/<int:application_id>/eligibility", methods=["POST"])
@login_required
def record_eligibility(application_id):
    application = staff_application(application_id)
    items = eligibility.items_for_call(application.call_id)
    form = eligibility_form(items, {}, formdata=request.form)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(application)
    eligibility.record_checks(application, eligibility_answers(form, items), current_user)
    db.commit()
    flash(_("Grille de recevabilité enregistrée."), "success")
    return _back(application)


@bp.route("/applications/<int:application_id>/opinion", methods=["POST"])
@login_required
def record_opinion(application_id):
    application = staff_application(application_id)
    form = OpinionForm(prefix="opinion")
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(application)
    opinion = db.session.exec(select(RegionalOpinion).where(RegionalOpinion.application_id == application.id)).first()
    opinion = opinion or RegionalOpinion(application_id=application.id, opinion=form.opinion.data,
                                         recorded_by_id=current_user.id)
    opinion.opinion, opinion.reasons = form.opinion.data, form.reasons.data.strip()
    opinion.recorded_by_id, opinion.recorded_at = current_user.id, utcnow()
    db.session.add(opinion)
    db.commit()
    flash(_("Avis de l'association régionale enregistré."), "success")
    return _back(application)


@bp.route("/applications/<int:application_id>/conflicts", methods=["POST"])
@login_required
def record_staff_conflict(application_id):
    application = staff_application(application_id)
    form = ConflictForm(prefix="conflict")
    form.user_id.choices = [SelectChoice(m.id, m.full_name) for m in assigning.committee_members()]
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(application)
    member = get_or_404(User, form.user_id.data)
    record_conflict(application, member, ConflictSource.staff, form.reason.data, current_user)
    db.commit()
    flash(_("Conflit d'intérêts enregistré ; une éventuelle désignation a été retirée."), "success")
    return _back(application)


@bp.route("/applications/<int:application_id>/assignments", methods=["POST"])
@login_required
def assign_reviewer(application_id):
    application = staff_application(application_id)
    form = AssignForm(prefix="assign")
    form.reviewer_id.choices = [SelectChoice(m.id, m.full_name) for m in assigning.committee_members()]
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(application)
    try:
        assigning.assign(application, get_or_404(User, form.reviewer_id.data), form.deadline.data, current_user)
        db.commit()
        flash(_("Évaluateur désigné."), "success")
    except ReviewError as error:
        db.rollback()
        flash(str(error), "error")
    return _back(application)


@bp.route("/assignments/<int:assignment_id>/delete", methods=["POST"])
@login_required
def remove_assignment(assignment_id):
    require_staff()
    assignment = get_or_404(Assignment, assignment_id)
    application = get_or_404(Application, assignment.application_id)
    if EmptyForm().validate_on_submit():
        delete_assignment(assignment)
        db.commit()
        flash(_("Désignation retirée."), "success")
    return _back(application)
