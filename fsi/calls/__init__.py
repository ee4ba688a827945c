"""Calls for projects: their rules, themes and scoring grid. Offers the hooks of fsi.calls.signals."""
from fsi.calls import services, taxonomy_views, views
from fsi.home import add_panel
from fsi.i18n import lazy_gettext as _l
from fsi.nav import add_nav_item

EVERYONE = ("applicant", "reviewer", "staff", "admin")


def init_app(app):
    app.register_blueprint(views.bp)
    app.register_blueprint(taxonomy_views.bp)
    add_nav_item("calls.index", _l("Appels à projets"), roles=EVERYONE, order=20)
    add_panel("calls/_home_open_calls.html", {"applicant"},
              lambda user: {"open_calls": services.calls_by_status(include_upcoming=False)[0]}, order=10)
    add_panel("calls/_home_manage.html", {"staff", "admin"}, order=30)
