"""Tracking (pilotage): what staff answer the board and the partners from. The dashboards (overall,
per call, per year), the Panorama des territoires (the same figures by department, EPCI, axis,
theme, organisation kind and year), each organisation's record with its 36-month ceiling (grants
obtained outside FSI included), one search over applications and projects, and its CSV and XLSX
exports. Every figure is an SQL aggregate: a page costs the same number of statements whatever the
number of applications.

Reads what the lower domains wrote; writes only the grants obtained outside FSI."""
from fsi.demo import add_demo_step
from fsi.i18n import lazy_gettext as _l
from fsi.nav import add_nav_item
from fsi.tracking import demo, plugins
from fsi.tracking.blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
    plugins.connect()
    add_nav_item("tracking.dashboard", _l("Pilotage"), roles={"staff", "admin"}, order=60)
    add_demo_step(50, demo.seed_tracking)
