"""/projects: funded projects, their agreement, payments and reports. Every route in one place;
the views are in fsi.funding.views, one module per responsibility."""
from flask import Blueprint

bp = Blueprint("funding", __name__, url_prefix="/projects")

POST = {"methods": ["POST"]}
FORM = {"methods": ["GET", "POST"]}

# --- Projects (fsi.funding.views.projects) ---
from fsi.funding.views import projects as project_views  # noqa: E402

bp.add_url_rule("/", "index", project_views.index)
bp.add_url_rule("/<int:project_id>", "show", project_views.show)
bp.add_url_rule("/agreement/<int:object_id>", "sign_agreement", project_views.sign_agreement, **FORM)
bp.add_url_rule("/<int:project_id>/amendments", "add_amendment", project_views.add_amendment, **POST)
bp.add_url_rule("/<int:project_id>/extensions", "extend", project_views.extend, **POST)
bp.add_url_rule("/<int:project_id>/lapse", "record_lapse", project_views.record_lapse, **POST)

# --- Payments (fsi.funding.views.payments) ---
from fsi.funding.views import payments as payment_views  # noqa: E402

bp.add_url_rule("/tranches/<int:tranche_id>", "tranche", payment_views.tranche)
bp.add_url_rule("/<int:project_id>/schedule", "edit_schedule", payment_views.edit_schedule, **FORM)
bp.add_url_rule("/clawbacks/<int:clawback_id>/received", "clawback_received", payment_views.clawback_received,
                **POST)

# --- Reports (fsi.funding.views.reports) ---
from fsi.funding.views import reports as report_views  # noqa: E402  (the routes' sections stay apart)

bp.add_url_rule("/reports/<int:report_id>", "report", report_views.report, **FORM)
