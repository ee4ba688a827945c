"""Printable documents: the minutes (procès-verbal) and the decision letters."""
from flask import abort, render_template
from flask_login import current_user, login_required
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.applications.models import Application
from fsi.db import db
from fsi.review.letters import can_read_letter, letter_text
from fsi.review.minutes import minutes
from fsi.review.models import AgendaItem, CommitteeSession
from fsi.review.services import released_decisions
from fsi.review.views import bp
from fsi.review.views.common import get_or_404, require_staff


@bp.route("/sessions/<int:session_id>/minutes")
@login_required
def session_minutes(session_id):
    require_staff()
    return render_template("review/minutes.html", **minutes(get_or_404(CommitteeSession, session_id)))


@bp.route("/items/<int:item_id>/letter")
@login_required
def decision_letter(item_id):
    item = get_or_404(AgendaItem, item_id)
    application = get_or_404(Application, item.application_id)
    if not can_read_letter(item, application, current_user):
        abort(404)
    return render_template("review/letter.html", item=item, application=application,
                           text=letter_text(item, application))


@bp.route("/letters")
@login_required
def my_letters():
    """The applicant organisation's released decision letters."""
    if current_user.role != Role.applicant or current_user.organisation_id is None:
        abort(403)
    applications = db.session.exec(select(Application).where(
        Application.organisation_id == current_user.organisation_id).order_by(Application.reference)).all()
    decisions = released_decisions([a.id for a in applications])
    rows = [(application, item) for application in applications for item in decisions[application.id]]
    return render_template("review/my_letters.html", rows=rows)
