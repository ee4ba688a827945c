"""A call's optional automation: the review starts once an application's reviewers are assigned,
and closes once every review is in. Each step goes through the workflow like any other, by the
actor « Système » with its reason, and only when nothing blocks it (its guards pass)."""
from fsi.calls.models import Call
from fsi.db import db
from fsi.i18n import N_
from fsi.workflow.machine import allows_on
from fsi.workflow.registry import SYSTEM
from fsi.workflow.service import WorkflowRefused, fire


def _fire_if_ready(application, trigger, comment):
    if not allows_on(application, trigger):
        return None
    try:
        with db.session.begin_nested():  # a blocked step leaves no trace
            return fire(application, trigger, SYSTEM, comment=comment)
    except WorkflowRefused:
        return None


def after_assignment(application):
    """Called once reviewers were assigned to ``application``."""
    if db.session.get(Call, application.call_id).auto_start_review:
        _fire_if_ready(application, "start_review",
                       N_("Automatique : les évaluateurs sont désignés (réglage de l'appel)."))


def after_review_submitted(application):
    """Called once a review of ``application`` was submitted."""
    if db.session.get(Call, application.call_id).auto_complete_review:
        _fire_if_ready(application, "complete_review",
                       N_("Automatique : toutes les évaluations sont soumises (réglage de l'appel)."))
