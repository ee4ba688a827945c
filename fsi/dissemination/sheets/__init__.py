"""Practice sheets (fiches d'expérience): written by a closed project's lead from its prefill
(the application and the accepted final report), reviewed and published by staff
(workflows/sheet.yaml), which moves the application to its disseminated state and puts the sheet
in the public catalogue; other housing bodies declare they reproduced the practice (essaimage)."""
from fsi.demo import add_demo_step
from fsi.dissemination.sheets import demo, flow
from fsi.dissemination.sheets.blueprint import bp
from fsi.i18n import lazy_gettext as _l
from fsi.nav import add_nav_item
from fsi.workflow import register


def init_app(app):
    app.register_blueprint(bp)
    register(flow.provides)  # workflows/sheet.yaml
    add_nav_item("sheets.index", _l("Fiches d'expérience"), roles={"staff", "admin", "applicant"}, order=45)
    add_demo_step(60, demo.seed_sheets)
