"""How the review domain plugs into the lower domains' hooks (connected in its init_app)."""
from flask import render_template, url_for
from markupsafe import Markup
from sqlmodel import select

from fsi.applications.access import is_member
from fsi.calls.access import can_manage_calls
from fsi.calls.models import Criterion
from fsi.db import db
from fsi.hooks import PageLink
from fsi.i18n import lazy_gettext as _l
from fsi.review import national
from fsi.review.access import can_assess, can_see_reviews
from fsi.review.eligibility import create_default_checklist
from fsi.review.letters import can_read_letter
from fsi.review.models import Assignment, ReviewScore
from fsi.review.services import assigned_reviewers, released_decisions


def reviewers_audience(application, audience):
    """The workflow's "reviewers" audience (applications' ``recipients`` hook)."""
    return assigned_reviewers(application) if audience == "reviewers" else None


def application_section(application, user):
    """The review card on an application's page: the assessment for staff, the member's own
    review, the submitted reviews, the released letters (applications' ``page_sections`` hook)."""
    own = db.session.exec(select(Assignment).where(Assignment.application_id == application.id,
                                                   Assignment.reviewer_id == user.id)).first()
    # staff read the letters from the session; the applicant from here
    letters = [] if user.is_staff else [item for item in released_decisions([application.id])[application.id]
                                        if can_read_letter(item, application, user)]
    sent_on = user.is_staff or is_member(application, user)  # what the association sent, and the CGLLS said
    context = {"assessment": can_assess(user), "own_assignment": own, "letters": letters,
               "reviews": can_see_reviews(application, user),
               "transmissions": national.transmissions_of(application.id) if sent_on else [],
               "decisions": national.decisions_of(application.id) if sent_on else []}
    if not any(context.values()):
        return None
    html = render_template("review/_application_section.html", application=application, **context)
    return Markup(html)  # nosec B704 # our own template, autoescaped as it rendered


def call_links(call, user):
    """On a call's page, for staff: the assessment, the ranking, a new session (calls' hook)."""
    if not can_manage_calls(user):
        return None
    return [PageLink(str(_l("Instruction des dossiers")), url_for("review.call_applications", call_id=call.id)),
            PageLink(str(_l("Classement")), url_for("review.call_ranking", call_id=call.id)),
            PageLink(str(_l("Programmer une séance")), url_for("review.new_session", call_id=call.id))]


def checklist_for_new_call(call):
    """Every call gets the FSI's eligibility checklist when it is created (calls' ``call_created``)."""
    create_default_checklist(call)


def scored_criteria(call):
    """Criteria the committee already scored may not leave the grid (calls' ``criteria_in_use``)."""
    return list(db.session.exec(select(ReviewScore.criterion_id).distinct()
                                .join(Criterion, Criterion.id == ReviewScore.criterion_id)
                                .where(Criterion.call_id == call.id)))
