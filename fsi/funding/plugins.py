"""How the funding domain plugs into the lower domains' hooks (connected in its init_app)."""
from flask import render_template
from markupsafe import Markup

from fsi.funding import projects
from fsi.funding.access import can_view_project


def application_section(application, user):
    """The project's card on its application's page: the figures and a link to the project."""
    project = projects.project_of(application)
    if project is None or not can_view_project(project, user):
        return None
    html = render_template("funding/_application_card.html", project=project,
                           remaining=projects.remaining(project), overdue=projects.is_overdue(project))
    return Markup(html)  # nosec B704 # our own template, autoescaped as it rendered
