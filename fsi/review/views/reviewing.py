"""Committee members: their queue, the scoring grid, the others' reviews, declaring conflicts."""
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select
from wtforms import SelectChoice

from fsi.accounts.models import Organisation, Role, User
from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.db import StaleObject, db, utcnow
from fsi.review.access import can_see_reviews
from fsi.review.assignments import reviewer_queue
from fsi.review.conflicts import applications_open_for_declaration, is_conflicted, record_conflict
from fsi.review.errors import ReviewError
from fsi.review.forms import DeclareConflictForm, review_form, review_values
from fsi.review.models import Assignment, ConflictSource
from fsi.review.scoring import criteria_counts, criteria_of, own_review_submitted, review_of, scores_of, submitted_reviews
from fsi.review.views import bp
from fsi.review.views.common import STALE_MESSAGE, get_or_404


PARIS = ZoneInfo("Europe/Paris")


def require_reviewer():
    if not current_user.is_authenticated or current_user.role != Role.reviewer:
        abort(403)


@bp.route("/queue")
@login_required
def queue():
    require_reviewer()
    rows = reviewer_queue(current_user)
    calls = {}
    if rows:
        calls = {c.id: c for c in db.session.exec(select(Call).where(Call.id.in_({a.call_id for _s, a, _r, _n in rows})))}
    counts = criteria_counts(list(calls))
    today = utcnow().astimezone(PARIS).date()
    return render_template("review/queue.html", rows=rows, calls=calls, criteria_counts=counts, today=today)


def own_assignment(assignment_id):
    """The reviewer's own assignment on an application they are not conflicted on, else 404."""
    require_reviewer()
    assignment = get_or_404(Assignment, assignment_id)
    application = get_or_404(Application, assignment.application_id)
    if assignment.reviewer_id != current_user.id or is_conflicted(application, current_user):
        abort(404)
    return assignment, application


@bp.route("/assignments/<int:assignment_id>/review", methods=["GET", "POST"])
@login_required
def review(assignment_id):
    assignment, application = own_assignment(assignment_id)
    criteria = criteria_of(application.call_id)
    existing = review_of(assignment)
    data = {"version": existing.version if existing else ""}
    if existing:
        data.update(recommendation=existing.recommendation.value if existing.recommendation else None,
                    confidence=existing.confidence, general_comment=existing.general_comment)
        for criterion_id, row in scores_of(existing).items():
            data[f"score_{criterion_id}"], data[f"comment_{criterion_id}"] = row.score, row.comment
    read_only = existing is not None and existing.submitted_at is not None
    form = review_form(criteria, formdata=request.form if request.method == "POST" else None, data=data)
    if request.method == "POST" and not read_only and form.validate_on_submit():
        submit = "submit" in request.form
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        try:
            saved = review_save(assignment, criteria, review_values(form, criteria), submit, version)
        except ReviewError as error:
            db.rollback()
            flash(str(error), "error")
        except StaleObject:
            db.rollback()
            flash(str(STALE_MESSAGE), "error")
        else:
            flash(_("Évaluation soumise.") if saved.submitted_at else _("Brouillon enregistré."), "success")
            return redirect(url_for("review.review", assignment_id=assignment.id))
    return render_template("review/review_form.html", form=form, assignment=assignment, application=application,
                           criteria=criteria, review=existing, read_only=read_only,
                           organisation=db.session.get(Organisation, application.organisation_id))


def review_save(assignment, criteria, values, submit, version):
    from fsi.review.scoring import save_review

    saved = save_review(assignment, criteria, values, submit=submit, expected_version=version)
    db.commit()
    return saved


@bp.route("/applications/<int:application_id>/reviews")
@login_required
def reviews(application_id):
    """Every submitted review of an application: staff, and assigned members once they submitted
    their own (before that, only a notice). Conflicted people get 404."""
    application = get_or_404(Application, application_id)
    if not can_see_reviews(application, current_user):
        abort(404)
    hidden = not current_user.is_staff and not own_review_submitted(application, current_user)
    rows = [] if hidden else submitted_reviews([application.id])[application.id]
    names = {}
    if rows:
        names = {u.id: u.full_name for u in db.session.exec(select(User).where(User.id.in_([r for r, _v, _s in rows])))}
    return render_template("review/reviews.html", application=application, rows=rows, names=names, hidden=hidden,
                           criteria=criteria_of(application.call_id))


@bp.route("/conflicts/declare", methods=["GET", "POST"])
@login_required
def declare_conflict():
    require_reviewer()
    form = DeclareConflictForm(data={"application_id": request.args.get("application_id", type=int)})
    candidates = applications_open_for_declaration(current_user)
    form.application_id.choices = [SelectChoice(a.id, f"{a.reference} — {a.title}") for a in candidates]
    if form.validate_on_submit():
        application = get_or_404(Application, form.application_id.data)
        try:
            record_conflict(application, current_user, ConflictSource.declared, form.reason.data, current_user)
            db.commit()
        except ReviewError as error:
            db.rollback()
            flash(str(error), "error")
        else:
            flash(_("Conflit d'intérêts déclaré : ce dossier ne vous sera plus présenté."), "success")
            return redirect(url_for("review.queue"))
    return render_template("review/declare_conflict.html", form=form)
