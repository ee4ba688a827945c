"""Funding: what a granted application becomes. The project, its agreement and amendments,
extensions, the schedule of payment tranches (workflows/payment.yaml), progress and final reports
(workflows/report.yaml), the balance recomputed from actual spending, clawbacks and reminders.

Plugs into the lower domains' hooks: what an application's page shows (its project), and the
application workflow's effects (a project opens when the application is awarded)."""
from fsi.applications import signals as app_signals
from fsi.cli import add_commands
from fsi.demo import add_demo_step
from fsi.funding import cli, demo, payment_flow, plugins, project_flow, report_flow
from fsi.funding.blueprint import bp
from fsi.i18n import lazy_gettext as _l
from fsi.nav import add_nav_item
from fsi.workflow import register


def init_app(app):
    app.register_blueprint(bp)
    register(project_flow.provides)  # the application's workflows: open, start, renounce, abandon
    register(payment_flow.provides)  # workflows/payment.yaml
    register(report_flow.provides)  # workflows/report.yaml
    app_signals.page_sections.connect(plugins.application_section)  # the project's card
    app_signals.committed.connect(payment_flow.committed)  # envelope and ceiling: what is really committed
    add_nav_item("funding.index", _l("Projets financés"), roles={"staff", "admin", "applicant"}, order=35)
    add_commands(cli.remind)  # flask fsi remind: the daily reminders
    add_demo_step(40, demo.seed_funding)
