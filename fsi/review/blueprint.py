"""/review: assessment, reviewers and scoring, ranking, committee sessions, minutes and letters.
Every route in one place; the views are in fsi.review.views, one module per responsibility."""
from flask import Blueprint

from fsi.review.views import assessment, documents, national, ranking, reviewing, sessions
from fsi.web import FORM, POST

bp = Blueprint("review", __name__, url_prefix="/review")

# --- Assessment (staff) ---
bp.add_url_rule("/", "index", assessment.index)
bp.add_url_rule("/calls/<int:call_id>/applications", "call_applications", assessment.call_applications)
bp.add_url_rule("/calls/<int:call_id>/assign", "bulk_assign", assessment.bulk_assign, **POST)
bp.add_url_rule("/calls/<int:call_id>/eligibility-items", "eligibility_items", assessment.eligibility_items, **FORM)
bp.add_url_rule("/eligibility-items/<int:item_id>", "update_eligibility_item", assessment.update_eligibility_item,
                **POST)
bp.add_url_rule("/applications/<int:application_id>", "assessment", assessment.assessment)
bp.add_url_rule("/applications/<int:application_id>/eligibility", "record_eligibility",
                assessment.record_eligibility, **POST)
bp.add_url_rule("/applications/<int:application_id>/opinion", "record_opinion", assessment.record_opinion, **POST)
bp.add_url_rule("/applications/<int:application_id>/conflicts", "record_staff_conflict",
                assessment.record_staff_conflict, **POST)
bp.add_url_rule("/applications/<int:application_id>/assignments", "assign_reviewer", assessment.assign_reviewer,
                **POST)
bp.add_url_rule("/assignments/<int:assignment_id>/delete", "remove_assignment", assessment.remove_assignment, **POST)

# --- Reviewing (committee members) ---
bp.add_url_rule("/queue", "queue", reviewing.queue)
bp.add_url_rule("/assignments/<int:assignment_id>/review", "review", reviewing.review, **FORM)
bp.add_url_rule("/applications/<int:application_id>/reviews", "reviews", reviewing.reviews)
bp.add_url_rule("/conflicts/declare", "declare_conflict", reviewing.declare_conflict, **FORM)

# --- Ranking ---
bp.add_url_rule("/calls/<int:call_id>/ranking", "call_ranking", ranking.call_ranking)
bp.add_url_rule("/calls/<int:call_id>/ranking.csv", "call_ranking_csv", ranking.call_ranking_csv)

# --- Committee sessions ---
bp.add_url_rule("/sessions", "session_list", sessions.session_list)
bp.add_url_rule("/calls/<int:call_id>/sessions/new", "new_session", sessions.new_session, **FORM)
bp.add_url_rule("/sessions/new", "plan_session", sessions.new_session, **FORM)
bp.add_url_rule("/sessions/<int:session_id>/edit", "edit_session", sessions.edit_session, **FORM)
bp.add_url_rule("/sessions/<int:session_id>", "session_detail", sessions.session_detail)
bp.add_url_rule("/sessions/<int:session_id>/agenda", "add_agenda_item", sessions.add_agenda_item, **POST)
bp.add_url_rule("/sessions/<int:session_id>/attendance", "record_attendance", sessions.record_attendance, **POST)
bp.add_url_rule("/sessions/<int:session_id>/run", "session_run", sessions.session_run)
bp.add_url_rule("/sessions/<int:session_id>/current", "set_current", sessions.set_current, **POST)
bp.add_url_rule("/items/<int:item_id>/decide/<trigger>", "decide", sessions.decide, **POST)
bp.add_url_rule("/sessions/<int:session_id>/close", "close_session", sessions.close_session, **POST)
bp.add_url_rule("/sessions/<int:session_id>/bring-forward", "bring_forward", sessions.bring_forward, **POST)
bp.add_url_rule("/sessions/<int:session_id>/release", "release_letters", sessions.release_letters, **POST)
bp.add_url_rule("/items/<int:item_id>/release", "release_letter", sessions.release_letter, **POST)
bp.add_url_rule("/sessions/<int:session_id>/live", "session_live", sessions.session_live)
bp.add_url_rule("/sessions/<int:session_id>/current.json", "current_item_json", sessions.current_item_json)

# --- National circuit (CGLLS) ---
bp.add_url_rule("/national-sessions", "national_sessions", national.national_sessions, **FORM)
bp.add_url_rule("/national-sessions/<int:session_id>/edit", "edit_national_session", national.edit_national_session,
                **FORM)
bp.add_url_rule("/national-sessions/<int:session_id>/delete", "delete_national_session",
                national.delete_national_session, **POST)
bp.add_url_rule("/applications/<int:object_id>/transmit", "transmit", national.transmit, **FORM)
bp.add_url_rule("/applications/<int:object_id>/national-decision", "national_decision", national.national_decision,
                **FORM)

# --- Documents ---
bp.add_url_rule("/sessions/<int:session_id>/minutes", "session_minutes", documents.session_minutes)
bp.add_url_rule("/items/<int:item_id>/letter", "decision_letter", documents.decision_letter)
bp.add_url_rule("/letters", "my_letters", documents.my_letters)
