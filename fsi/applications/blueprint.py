"""The applications' routes, all in one place (the views are in fsi.applications.views)."""
from flask import Blueprint

from fsi.applications.views import files, lists, pages, sections, versions

bp = Blueprint("applications", __name__, url_prefix="/applications")

bp.add_url_rule("/", "mine", lists.mine)
bp.add_url_rule("/call/<int:call_id>", "call_applications", lists.call_applications)
bp.add_url_rule("/new/<int:call_id>", "create", pages.create, methods=["POST"])
bp.add_url_rule("/<int:application_id>", "show", pages.show)
bp.add_url_rule("/<int:application_id>/submit", "submit", pages.submit, methods=["POST"])
bp.add_url_rule("/<int:application_id>/deadline", "set_deadline", pages.set_deadline, methods=["POST"])
bp.add_url_rule("/<int:application_id>/section/<name>", "section", sections.section, methods=["GET", "POST"])
bp.add_url_rule("/<int:application_id>/attachments", "attachments", files.attachments, methods=["GET", "POST"])
bp.add_url_rule("/<int:application_id>/attachments/<int:attachment_id>", "download", files.download)
bp.add_url_rule("/<int:application_id>/attachments/<int:attachment_id>/delete", "delete_attachment",
                files.delete_attachment, methods=["POST"])
bp.add_url_rule("/<int:application_id>/versions", "compare_versions", versions.compare_versions)
