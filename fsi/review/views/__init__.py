"""/review: assessment, reviewers and scoring, ranking, committee sessions, minutes and letters.

One blueprint, one view module per responsibility."""
from flask import Blueprint

from fsi.accounts.models import Role
from fsi.nav import nav_item

bp = Blueprint("review", __name__, url_prefix="/review")

import fsi.review.guards  # noqa: E402,F401  (guards and the approve effect)
from fsi.review.views import assessment, documents, ranking, reviewing, sessions  # noqa: E402,F401

nav_item("review.queue", {"fr": "Mes évaluations", "en": "My reviews"}, roles={Role.reviewer}, order=20)
nav_item("review.my_letters", {"fr": "Décisions du comité", "en": "Committee decisions"}, roles={Role.applicant},
         order=60)
nav_item("review.index", {"fr": "Instruction", "en": "Assessment"}, roles={Role.staff, Role.admin}, order=30)
nav_item("review.session_list", {"fr": "Séances", "en": "Sessions"}, roles={Role.staff, Role.admin, Role.reviewer},
         order=40)


@bp.record_once
def register_template_globals(state):
    """Globals (not a context processor) so that imported macros see them too."""
    state.app.jinja_env.globals.update(review_helpers())


def review_helpers():
    from fsi.review.models.assessment import OPINION_LABELS
    from fsi.review.models.scoring import CONFLICT_SOURCE_LABELS, RECOMMENDATION_LABELS
    from fsi.review.models.sessions import OUTCOME_LABELS
    from fsi.workflow.definitions import get_workflow

    return {"state_label": get_workflow("application").state_label, "zip": zip,
            "OPINION_LABELS": OPINION_LABELS, "RECOMMENDATION_LABELS": RECOMMENDATION_LABELS,
            "CONFLICT_SOURCE_LABELS": CONFLICT_SOURCE_LABELS, "OUTCOME_LABELS": OUTCOME_LABELS}
