"""Review: assessment, reviewers and scoring, the committee's sessions, minutes and letters.

Plugs into the lower domains' hooks: who may see an application (its reviewers), whom the
workflow mails ("reviewers"), what an application's and a call's pages show, and what a new
call gets (its eligibility checklist)."""
from fsi.accounts.models import Role
from fsi.applications import signals as applications
from fsi.applications.views.common import state_label
from fsi.calls import signals as calls
from fsi.demo import add_demo_step, add_setup_step
from fsi.home import add_panel
from fsi.i18n import lazy_gettext as _l
from fsi.nav import add_nav_item
from fsi.review import demo, home, plugins, record, workflow
from fsi.review.access import can_reviewer_view
from fsi.review.blueprint import bp
from fsi.review.eligibility import setup_checklists
from fsi.review.models.assessment import OPINION_LABELS
from fsi.review.models.national import NATIONAL_OUTCOME_LABELS, RECIPIENT_LABELS
from fsi.review.models.scoring import CONFLICT_SOURCE_LABELS, RECOMMENDATION_LABELS
from fsi.review.models.sessions import OUTCOME_LABELS
from fsi.workflow import register

STAFF = {Role.staff, Role.admin}


def template_helpers():
    """Globals (not a context processor) so that imported macros see them too."""
    return {"state_label": state_label, "zip": zip,
            "OPINION_LABELS": OPINION_LABELS, "RECOMMENDATION_LABELS": RECOMMENDATION_LABELS,
            "CONFLICT_SOURCE_LABELS": CONFLICT_SOURCE_LABELS, "OUTCOME_LABELS": OUTCOME_LABELS,
            "RECIPIENT_LABELS": RECIPIENT_LABELS, "NATIONAL_OUTCOME_LABELS": NATIONAL_OUTCOME_LABELS}


def init_app(app):
    app.register_blueprint(bp)
    app.jinja_env.globals.update(template_helpers())
    register(workflow.provides)
    register(record.provides)  # the review's own workflow (workflows/review.yaml)
    applications.can_view.connect(can_reviewer_view)
    applications.recipients.connect(plugins.reviewers_audience)
    applications.page_sections.connect(plugins.application_section)
    calls.call_created.connect(plugins.checklist_for_new_call)
    calls.criteria_in_use.connect(plugins.scored_criteria)
    calls.call_page_links.connect(plugins.call_links)
    add_nav_item("review.queue", _l("Mes évaluations"), roles={Role.reviewer}, order=20)
    add_nav_item("review.my_letters", _l("Décisions du comité"),
                 roles={Role.applicant}, order=60)
    add_nav_item("review.index", _l("Instruction"), roles=STAFF, order=30)
    add_nav_item("review.session_list", _l("Séances"), roles=STAFF | {Role.reviewer}, order=40)
    add_panel("review/_home_todo.html", STAFF - {Role.admin}, home.todo, order=5, wide=True)
    add_panel("review/_home_instruction.html", STAFF - {Role.admin}, order=35)
    add_panel("review/_home_staff_session.html", STAFF - {Role.admin}, home.staff_session, order=40)
    add_panel("review/_home_letters.html", {Role.applicant}, home.applicant_letters, order=30)
    add_panel("review/_home_queue.html", {Role.reviewer}, home.reviewer_queue, order=10)
    add_panel("review/_home_member_session.html", {Role.reviewer}, home.member_session, order=20)
    add_panel("review/_home_conflicts.html", {Role.reviewer}, order=30)
    add_setup_step(20, setup_checklists)
    add_demo_step(30, demo.seed_review)
