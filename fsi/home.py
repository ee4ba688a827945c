"""The home page: one per role, with what that role comes to FSI for.

Each role's figures come from its domain's query functions (applications, calls, review,
mail, accounts); this module only puts them together. Every list loads in a constant number
of statements whatever its length (tests/test_home.py counts them).
"""
from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

from fsi.accounts.models import Organisation, Role
from fsi.db import db, utcnow

bp = Blueprint("home", __name__)

#: the states where an application waits for staff, in the order of the staff table; the
#: "review_complete" column is in_review applications whose reviews are all in
STAFF_TODO = ("submitted", "eligible", "review_complete", "reviewed")
#: applications shown on the applicant's home page (the full list is « Mes dossiers »)
APPLICANT_ROWS = 10


@bp.app_template_global()
def has_endpoint(endpoint):
    """Lets a page link to another domain's page only when that domain is installed."""
    return endpoint in current_app.view_functions


def paris_today():
    from fsi.calls.services import PARIS

    return utcnow().astimezone(PARIS).date()


def applicant_context(user):
    from fsi.applications.services import organisation_applications
    from fsi.calls.services import calls_by_status
    from fsi.review.services import released_decisions
    from fsi.workflow.events import last_event_times

    if user.organisation_id is None:
        return {}
    rows = organisation_applications(user.organisation_id)
    ids = [application.id for application, _title in rows]
    changed = last_event_times("application", ids)
    decisions = released_decisions(ids)
    letters = sorted(((application, item) for application, _title in rows for item in decisions[application.id]),
                     key=lambda pair: pair[1].released_at, reverse=True)
    return {"organisation": db.session.get(Organisation, user.organisation_id),
            "applications": [(application, title, changed.get(application.id, application.created_at))
                             for application, title in rows[:APPLICANT_ROWS]],
            "application_total": len(rows), "open_calls": calls_by_status(include_upcoming=False)[0],
            "letters": letters}


def reviewer_context(user):
    from fsi.review.services import next_session, queue_summary

    return {"summary": queue_summary(user, paris_today()), "next_session": next_session(member=user)}


def staff_todo():
    """{"calls": {call id: title}, "counts": {call id: {column: count}}, "totals": {column: count}}"""
    from fsi.applications.services import counts_by_call_and_state
    from fsi.calls.services import call_titles
    from fsi.review.services import reviews_complete_by_call

    counts = counts_by_call_and_state(states=[s for s in STAFF_TODO if s != "review_complete"])
    for call_id, count in reviews_complete_by_call().items():
        counts.setdefault(call_id, {})["review_complete"] = count
    titles = call_titles(counts)
    return {"calls": dict(sorted(titles.items(), key=lambda pair: pair[1])), "counts": counts,
            "totals": {column: sum(c.get(column, 0) for c in counts.values()) for column in STAFF_TODO}}


def staff_context(user):
    from fsi.mail.outbox import failed_count
    from fsi.review.services import next_session

    return {"todo": staff_todo(), "next_session": next_session(), "failed_mails": failed_count()}


def admin_context(user):
    from fsi.accounts.admin_services import counts
    from fsi.mail.outbox import failed_count

    return {"counts": counts(), "failed_mails": failed_count()}


CONTEXTS = {Role.applicant: applicant_context, Role.reviewer: reviewer_context, Role.staff: staff_context,
            Role.admin: admin_context}


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    context = CONTEXTS[current_user.role](current_user)
    if current_user.organisation_id and "organisation" not in context:  # shown next to the role
        context["organisation"] = db.session.get(Organisation, current_user.organisation_id)
    return render_template(f"home/{current_user.role.value}.html", **context)
