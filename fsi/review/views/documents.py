"""Printable documents: the minutes (procès-verbal) and the decision letters."""
from flask import abort, render_template
from flask_login import current_user, login_required

from fsi.applications.access import can_list_own
from fsi.applications.models import Application
from fsi.applications.services import organisation_applications
from fsi.review.access import can_assess
from fsi.review.letters import can_read_letter, letter_text
from fsi.review.minutes import minutes
from fsi.review.models import AgendaItem, CommitteeSession
from fsi.review.services import released_decisions
from fsi.web import get_or_404, requires


@requires(can_assess)
def session_minutes(session_id):
    return render_template("review/minutes.html", **minutes(get_or_404(CommitteeSession, session_id)))


@login_required
def decision_letter(item_id):
    item = get_or_404(AgendaItem, item_id)
    application = get_or_404(Application, item.application_id)
    if not can_read_letter(item, application, current_user):
        abort(404)
    return render_template("review/letter.html", item=item, application=application,
                           text=letter_text(item, application))


@requires(can_list_own)
def my_letters():
    """The applicant organisation's released decision letters."""
    applications = [application for application, _title in organisation_applications(current_user.organisation_id)]
    decisions = released_decisions([a.id for a in applications])
    rows = [(application, item) for application in sorted(applications, key=lambda a: a.reference)
            for item in decisions[application.id]]
    return render_template("review/my_letters.html", rows=rows)
