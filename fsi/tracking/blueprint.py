"""/tracking: dashboards, the Panorama des territoires, organisation records, search and exports.
Every route in one place; the views are in fsi.tracking.views, one module per page family."""
from flask import Blueprint

from fsi.tracking.views import dashboard, organisations, panorama, search
from fsi.web import POST

bp = Blueprint("tracking", __name__, url_prefix="/tracking")

# --- Dashboards ---
bp.add_url_rule("/", "dashboard", dashboard.dashboard)

# --- Panorama des territoires ---
bp.add_url_rule("/panorama", "panorama", panorama.panorama)
bp.add_url_rule("/territories/<int:territory_id>", "territory", panorama.territory)
bp.add_url_rule("/departments/<code>", "department", panorama.department)

# --- Organisation records ---
bp.add_url_rule("/organisations", "organisations", organisations.index)
bp.add_url_rule("/organisations/<int:organisation_id>", "organisation", organisations.record)
bp.add_url_rule("/organisations/<int:organisation_id>/outside-grants", "add_outside_grant",
                organisations.add_outside_grant, **POST)
bp.add_url_rule("/outside-grants/<int:grant_id>/delete", "delete_outside_grant",
                organisations.delete_outside_grant, **POST)

# --- Search and exports ---
bp.add_url_rule("/search", "search", search.search)
bp.add_url_rule("/search.csv", "search_csv", search.export_csv)
bp.add_url_rule("/search.xlsx", "search_xlsx", search.export_xlsx)
