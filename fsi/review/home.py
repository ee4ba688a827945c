"""The review domain's panels on the home page."""
from fsi.applications.services import organisation_applications
from fsi.review.services import next_session, paris_today, queue_summary, released_decisions, staff_todo


def applicant_letters(user):
    """The organisation's released decision letters, newest first; no panel without any."""
    if user.organisation_id is None:
        return None
    applications = [application for application, _title in organisation_applications(user.organisation_id)]
    decisions = released_decisions([a.id for a in applications])
    letters = sorted(((application, item) for application in applications for item in decisions[application.id]),
                     key=lambda pair: pair[1].released_at, reverse=True)
    return {"letters": letters} if letters else None


def reviewer_queue(user):
    return {"summary": queue_summary(user, paris_today())}


def member_session(user):
    return {"next_session": next_session(member=user)}


def staff_session(user):
    return {"next_session": next_session()}


def todo(user):
    return {"todo": staff_todo()}
