"""Committee members: their queue, the scoring grid, the others' reviews, declaring conflicts."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from fsi.accounts.models import Organisation
from fsi.applications.models import Application
from fsi.calls.services import call_titles
from fsi.db import StaleObject, db
from fsi.review.access import can_read_others_reviews, can_review, can_see_reviews, is_reviewer
from fsi.review.assignments import reviewer_queue, user_names
from fsi.review.conflicts import applications_open_for_declaration, record_conflict
from fsi.review.errors import ReviewError
from fsi.review.forms import DeclareConflictForm, review_form, review_values
from fsi.review.models import Assignment, ConflictSource
from fsi.review.scoring import (
    criteria_counts,
    criteria_of,
    is_read_only,
    review_data,
    review_of,
    save_review,
    set_aside_reviews,
    submitted_reviews,
)
from fsi.review.services import paris_today
from fsi.web import get_or_404, render_form, requires, show_refusal


@requires(is_reviewer)
def queue():
    rows = reviewer_queue(current_user)
    calls = call_titles({application.call_id for _a, application, _r, _n in rows})
    return render_template("review/queue.html", rows=rows, calls=calls, criteria_counts=criteria_counts(list(calls)),
                           today=paris_today())


def own_assignment(assignment_id):
    """The reviewer's own assignment on an application they are not conflicted on, else 404."""
    assignment = get_or_404(Assignment, assignment_id)
    application = get_or_404(Application, assignment.application_id)
    if not can_review(assignment, application, current_user):
        abort(404)
    return assignment, application


@requires(is_reviewer)
def review(assignment_id):
    assignment, application = own_assignment(assignment_id)
    criteria = criteria_of(application.call_id)
    existing = review_of(assignment)
    read_only = is_read_only(existing, application)
    form = review_form(criteria, formdata=request.form if request.method == "POST" else None,
                       data=review_data(existing))
    if request.method == "POST" and not read_only and form.validate_on_submit():
        try:
            saved = save_review(assignment, criteria, review_values(form, criteria), submit="submit" in request.form,
                                expected_version=form.expected_version())
        except (ReviewError, StaleObject) as error:
            show_refusal(form, error)
        else:
            flash(_("Évaluation soumise.") if saved.is_submitted else _("Brouillon enregistré."), "success")
            return redirect(url_for("review.review", assignment_id=assignment.id))
    return render_form("review/review_form.html", form=form, assignment=assignment, application=application,
                       criteria=criteria, review=existing, read_only=read_only,
                       organisation=db.session.get(Organisation, application.organisation_id))


@login_required
def reviews(application_id):
    """Every submitted review of an application: staff, and assigned members once they submitted
    their own (before that, only a notice). Conflicted people get 404."""
    application = get_or_404(Application, application_id, visible_to=can_see_reviews)
    readable = can_read_others_reviews(application, current_user)
    rows = submitted_reviews([application.id])[application.id] if readable else []
    set_aside = set_aside_reviews([application.id])[application.id] if readable else []
    people = {reviewer for reviewer, _r, _s in rows + set_aside} | {r.set_aside_by_id for _i, r, _s in set_aside}
    return render_template("review/reviews.html", application=application, rows=rows, hidden=not readable,
                           set_aside=set_aside, names=user_names(people - {None}),
                           criteria=criteria_of(application.call_id))


@requires(is_reviewer)
def declare_conflict():
    form = DeclareConflictForm(data={"application_id": request.args.get("application_id", type=int)})
    candidates = applications_open_for_declaration(current_user)
    form.application_id.choices = [SelectChoice(a.id, f"{a.reference} — {a.title}") for a in candidates]
    if form.validate_on_submit():
        application = get_or_404(Application, form.application_id.data)
        try:
            record_conflict(application, current_user, ConflictSource.declared, form.reason.data, current_user)
        except ReviewError as error:
            show_refusal(form, error)
        else:
            flash(_("Conflit d'intérêts déclaré : ce dossier ne vous sera plus présenté."), "success")
            return redirect(url_for("review.queue"))
    return render_form("review/declare_conflict.html", form=form)
