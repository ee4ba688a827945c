"""The /workflow pages: firing an action from a form, the partials, the diagrams."""
from flask import render_template
from flask_login import login_user
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db
from fsi.workflow.definitions import get_workflow
from fsi.workflow.models import WorkflowEvent


def user(in_db, people, actor):
    with in_db() as session:
        return session.get(User, people[actor])


def state_and_events(in_db, app_id):
    with in_db() as session:
        events = session.exec(select(WorkflowEvent).where(WorkflowEvent.object_id == app_id)).all()
        return session.get(Application, app_id).state, len(events)


def flashes(client):
    with client.session_transaction() as session:
        return [message for _category, message in session.get("_flashes", [])]


def test_fire_from_the_form(client, login, in_db, open_guards, people, new_application):
    app_id = new_application("submitted")
    login(user(in_db, people, "staff"))
    response = client.post(f"/workflow/application/{app_id}/return_for_completion",
                           data={"return_for_completion-comment": "Il manque le budget.",
                                 "return_for_completion-expected_version": "1",
                                 "return_for_completion-next": f"/applications/{app_id}"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{app_id}"
    assert flashes(client) == ["« Retourner pour complément » : c'est fait. Nouvel état : Retourné pour complément."]
    assert state_and_events(in_db, app_id) == ("returned", 1)


def test_amount_and_date_forms(client, login, in_db, open_guards, people, new_application):
    app_id = new_application("approved")
    login(user(in_db, people, "admin"))
    response = client.post(f"/workflow/application/{app_id}/sign_agreement",
                           data={"sign_agreement-date": "pas une date", "sign_agreement-expected_version": "1"})
    assert response.status_code == 302
    assert flashes(client) == ["Enregistrer la convention signée : N'est pas une date valide."]
    assert state_and_events(in_db, app_id) == ("approved", 0)
    client.post(f"/workflow/application/{app_id}/sign_agreement",
                data={"sign_agreement-date": "2026-12-01", "sign_agreement-expected_version": "1"})
    assert state_and_events(in_db, app_id) == ("in_progress", 1)
    with in_db() as session:
        assert session.exec(select(WorkflowEvent)).one().data == {"date": "2026-12-01"}


def test_a_missing_required_comment_changes_nothing(client, login, in_db, open_guards, people, new_application):
    app_id = new_application("submitted")
    login(user(in_db, people, "staff"))
    client.post(f"/workflow/application/{app_id}/declare_ineligible",
                data={"declare_ineligible-expected_version": "1"})
    assert flashes(client) == ["Déclarer irrecevable : Un commentaire est obligatoire pour cette action."]
    assert state_and_events(in_db, app_id) == ("submitted", 0)


def test_a_stale_page_is_refused_with_the_reload_message(client, login, in_db, open_guards, people, new_application):
    app_id = new_application("submitted")
    with in_db() as session:
        session.get(Application, app_id).version = 3  # changed by someone since the page was shown
    login(user(in_db, people, "staff"))
    client.post(f"/workflow/application/{app_id}/declare_eligible",
                data={"declare_eligible-expected_version": "1"})
    assert flashes(client) == ["Ces données ont été modifiées entre-temps par quelqu'un d'autre : rechargez la page "
                               "et recommencez."]
    assert state_and_events(in_db, app_id) == ("submitted", 0)


def test_a_refusal_lists_the_reasons(client, login, in_db, domains, people, new_application, override_guards):
    override_guards({"call_open": lambda ctx: "L'appel à projets est clos.",
                     "application_complete": lambda ctx: "Le budget n'est pas équilibré."})
    app_id = new_application("draft")
    login(user(in_db, people, "owner"))
    client.post(f"/workflow/application/{app_id}/submit", data={"submit-expected_version": "1"})
    assert flashes(client) == ["« Déposer le dossier » impossible : L'appel à projets est clos. "
                               "Le budget n'est pas équilibré."]
    assert state_and_events(in_db, app_id) == ("draft", 0)


def test_wrong_role_is_refused_and_other_organisations_get_404(client, login, in_db, open_guards, people,
                                                               new_application):
    app_id = new_application("draft")
    login(user(in_db, people, "staff"))
    client.post(f"/workflow/application/{app_id}/submit", data={"submit-expected_version": "1"})
    assert flashes(client) == ["« Déposer le dossier » impossible : Action non autorisée pour votre rôle."]
    client.post("/logout")
    login(user(in_db, people, "other_applicant"))
    response = client.post(f"/workflow/application/{app_id}/submit", data={"submit-expected_version": "1"})
    assert response.status_code == 404
    assert state_and_events(in_db, app_id) == ("draft", 0)


def test_unknown_things_are_404_and_next_must_be_local(client, login, in_db, open_guards, people, new_application):
    app_id = new_application("draft")
    login(user(in_db, people, "owner"))
    assert client.post(f"/workflow/nothing/{app_id}/submit").status_code == 404
    assert client.post(f"/workflow/application/{app_id + 1000}/submit").status_code == 404
    assert client.post(f"/workflow/application/{app_id}/fly").status_code == 404
    response = client.post(f"/workflow/application/{app_id}/submit",
                           data={"submit-expected_version": "1", "submit-next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert state_and_events(in_db, app_id) == ("submitted", 1)


def test_csrf_is_required(csrf_app, client, login, in_db, open_guards, people, new_application):
    app_id = new_application("draft")
    with in_db() as session:
        owner = session.get(User, people["owner"])
    csrf_app.config["WTF_CSRF_ENABLED"] = False
    login(owner)
    csrf_app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/workflow/application/{app_id}/submit", data={"submit-expected_version": "1"})
    assert response.status_code == 400
    assert state_and_events(in_db, app_id) == ("draft", 0)


def render_partials(app, people, app_id, actor):
    with app.test_request_context(f"/applications/{app_id}"):
        login_user(db.session.get(User, people[actor]))
        row = db.session.get(Application, app_id)
        return (render_template("workflow/_actions.html", workflow_row=row),
                render_template("workflow/_timeline.html", application=row))


def test_partials_show_actions_blocked_reasons_and_timeline(app, domains, people, new_application, override_guards):
    from fsi.workflow.service import fire

    override_guards({"call_open": lambda ctx: None, "application_complete": lambda ctx: None,
                     "eligibility_checked": lambda ctx: None,
                     "eligibility_passed": lambda ctx: "La grille de recevabilité n'est pas complète."})
    app_id = new_application("draft")
    with app.test_request_context():
        fire(db.session.get(Application, app_id), "submit", db.session.get(User, people["owner"]))
        db.commit()
    actions, timeline = render_partials(app, people, app_id, "staff")
    assert f'action="/workflow/application/{app_id}/return_for_completion"' in actions
    assert 'name="return_for_completion-comment"' in actions
    assert 'name="return_for_completion-expected_version" type="hidden" value="2"' in actions
    assert "La grille de recevabilité n&#39;est pas complète." in actions
    assert '<button type="button" class="button button-secondary" disabled' in actions
    assert "Déposer le dossier" in timeline and "Brouillon" in timeline and "Déposé" in timeline
    owner_actions, _timeline = render_partials(app, people, app_id, "owner")
    assert "Retirer le dossier" in owner_actions and "Retourner pour complément" not in owner_actions


def test_the_diagram_page_is_for_staff(client, login, in_db, people):
    login(user(in_db, people, "owner"))
    assert client.get("/workflow/").status_code == 403
    assert client.get("/workflow/application").status_code == 403
    client.post("/logout")
    login(user(in_db, people, "staff"))
    home = client.get("/workflow/")
    assert home.status_code == 200 and "Dossier de candidature" in home.get_data(as_text=True)
    page = client.get("/workflow/application?state=submitted")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "stateDiagram-v2" in text and "class submitted s_active" in text
    assert "vendor/mermaid/mermaid.min.js" in text and "js/workflow-diagram.js" in text
    assert "style-src 'self' 'unsafe-inline'" in page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in page.headers["Content-Security-Policy"]
    assert ">Circuits</a>" in client.get("/").get_data(as_text=True)
    assert client.get("/workflow/nothing").status_code == 404


def test_cli_list_and_diagram(app):
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["fsi", "workflow", "list"])
    assert listing.exit_code == 0
    assert f"application (version {get_workflow('application').version})" in listing.output
    assert ("  approve: scheduled -> approved (staff, admin) si quorum_present, regional_opinion_recorded, "
            "amount_allowed puis record_grant, reserve_envelope, record_decision_on_agenda, open_project") in listing.output
    assert (f"application_fsi (version {get_workflow('application_fsi').version}) : Dossier FSI (décision nationale)"
            in listing.output)
    assert "  give_opinion: scheduled -> opinion_given (staff, admin)" in listing.output
    assert "  état draft [editable]" in listing.output and "  état withdrawn (final)" in listing.output
    diagram = runner.invoke(args=["fsi", "workflow", "diagram", "payment"])
    assert diagram.exit_code == 0
    assert diagram.output.startswith("---\ntitle: Versement\n---\nstateDiagram-v2\n")
    assert "  requested --> approved: Valider le versement\n" in diagram.output
    assert "  paid --> [*]\n" in diagram.output
    assert runner.invoke(args=["fsi", "workflow", "diagram", "nothing"]).exit_code != 0


def test_internal_notes_are_for_staff_only(client, login, in_db, open_guards, people, new_application):
    app_id = new_application("submitted")
    login(user(in_db, people, "staff"))
    page = client.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "Visible par le porteur de projet dans l'historique du dossier." in page  # the comments
    assert "Visible par l'équipe seulement, jamais par le porteur de projet." in page  # the note
    assert client.post(f"/workflow/application/{app_id}/notes", data={"text": "  "}).status_code == 302
    assert flashes(client) == ["Note interne : Écrivez la note."]
    client.get("/")  # the page shows (and so consumes) the messages
    client.post(f"/workflow/application/{app_id}/notes",
                data={"text": "Appeler la directrice avant la séance.", "next": f"/applications/{app_id}"})
    assert flashes(client) == ["Note interne enregistrée."]
    staff_page = client.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "Appeler la directrice avant la séance." in staff_page and "équipe seulement" in staff_page
    client.post("/logout")
    login(user(in_db, people, "owner"))
    owner_page = client.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "Appeler la directrice" not in owner_page and "Note interne" not in owner_page
    assert client.post(f"/workflow/application/{app_id}/notes", data={"text": "Moi aussi"}).status_code == 403
    assert state_and_events(in_db, app_id) == ("submitted", 0)  # a note is not a state change
