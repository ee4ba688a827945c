"""/events: the public list and pages, the calendar files; registering; the staff's pages."""
from flask import Blueprint

from fsi.dissemination.events import views
from fsi.web import FORM, POST

bp = Blueprint("events", __name__, url_prefix="/events")

# --- Public ---
bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/upcoming.ics", "feed", views.feed)
bp.add_url_rule("/<int:event_id>.ics", "ics", views.ics)
bp.add_url_rule("/<int:event_id>-<path:slug>", "show", views.show)  # path: any slug, even odd
bp.add_url_rule("/<int:event_id>", "show", views.show)

# --- Members of housing bodies ---
bp.add_url_rule("/<int:event_id>/register", "register", views.register, **POST)
bp.add_url_rule("/<int:event_id>/unregister", "unregister", views.unregister, **POST)

# --- Staff ---
bp.add_url_rule("/new", "new", views.new, **FORM)
bp.add_url_rule("/<int:event_id>/edit", "edit", views.edit, **FORM)
bp.add_url_rule("/<int:event_id>/manage", "manage", views.manage, **FORM)
bp.add_url_rule("/<int:event_id>/invite", "invite", views.invite, **POST)
bp.add_url_rule("/<int:event_id>/cancel", "cancel", views.cancel, **POST)
