"""/projects: funded projects, their agreement, payments and reports. Every route in one place;
the views are in fsi.funding.views, one module per responsibility."""
from flask import Blueprint

from fsi.funding.views import payments, projects, reports
from fsi.web import FORM, POST

bp = Blueprint("funding", __name__, url_prefix="/projects")

# --- Projects ---
bp.add_url_rule("/", "index", projects.index)
bp.add_url_rule("/<int:project_id>", "show", projects.show)
bp.add_url_rule("/agreement/<int:object_id>", "sign_agreement", projects.sign_agreement, **FORM)
bp.add_url_rule("/<int:project_id>/amendments", "add_amendment", projects.add_amendment, **POST)
bp.add_url_rule("/<int:project_id>/extensions", "extend", projects.extend, **POST)
bp.add_url_rule("/<int:project_id>/lapse", "record_lapse", projects.record_lapse, **POST)

# --- Payments ---
bp.add_url_rule("/tranches/<int:tranche_id>", "tranche", payments.tranche)
bp.add_url_rule("/<int:project_id>/schedule", "edit_schedule", payments.edit_schedule, **FORM)
bp.add_url_rule("/clawbacks/<int:clawback_id>/received", "clawback_received", payments.clawback_received, **POST)

# --- Reports ---
bp.add_url_rule("/reports/<int:report_id>", "report", reports.report, **FORM)
