"""Applications: the form, the award calculator, attachments, versions and submission.
Offers the hooks of fsi.applications.signals."""
from flask import url_for

from fsi.applications import attachments, cli, demo, home, services, workflow
from fsi.applications.access import can_create_application
from fsi.applications.blueprint import bp
from fsi.calls.access import can_manage_calls
from fsi.calls.signals import call_in_use, call_page_links
from fsi.cli import add_commands
from fsi.demo import add_demo_step
from fsi.home import add_panel
from fsi.hooks import PageLink
from fsi.i18n import lazy_gettext as _l
from fsi.nav import add_nav_item
from fsi.operations import stored_files
from fsi.workflow import register


def call_links(call, user):
    """On a call's page: create an application (applicants, open call), its applications (staff)."""
    links = []
    if can_create_application(call, user):
        links.append(PageLink(str(_l("Créer un dossier de candidature")),
                              url_for("applications.create", call_id=call.id), post=True, primary=True))
    if can_manage_calls(user):
        links.append(PageLink(str(_l("Dossiers de l'appel")),
                              url_for("applications.call_applications", call_id=call.id)))
    return links


def init_app(app):
    app.register_blueprint(bp)
    register(workflow.provides)
    add_commands(cli.lapse_overdue_command)
    call_page_links.connect(call_links)
    call_in_use.connect(services.call_has_applications)
    stored_files.connect(attachments.stored_attachments)  # flask fsi storage check
    add_nav_item("applications.mine", _l("Mes dossiers"), roles={"applicant"}, order=30)
    add_panel("applications/_home_mine.html", {"applicant"}, home.own_applications, order=90, wide=True)
    add_demo_step(20, demo.seed_calls_and_applications)
