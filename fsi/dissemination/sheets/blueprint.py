"""/sheets: practice sheets for signed-in users (the public reads them in the catalogue)."""
from flask import Blueprint

from fsi.dissemination.sheets import views
from fsi.web import FORM, POST

bp = Blueprint("sheets", __name__, url_prefix="/sheets")

bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/start/<int:application_id>", "start", views.start, **POST)
bp.add_url_rule("/<int:sheet_id>", "show", views.show)
bp.add_url_rule("/<int:sheet_id>/edit", "edit", views.edit, **FORM)
bp.add_url_rule("/<int:sheet_id>/attachments", "choose_attachments", views.choose_attachments, **FORM)
bp.add_url_rule("/<int:sheet_id>/files/<int:attachment_id>", "attachment", views.attachment)
bp.add_url_rule("/<int:sheet_id>/reproductions", "declare_reproduction", views.declare_reproduction, **FORM)
