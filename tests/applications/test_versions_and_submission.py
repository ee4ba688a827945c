"""Submission through the workflow, its guards, frozen versions and their comparison, references."""
import re
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import delete, select

from fsi.accounts.models import Role
from fsi.applications.calculator import maximum_grant
from fsi.applications.completeness import problems
from fsi.applications.models import Application, ApplicationVersion
from fsi.applications.references import next_reference
from fsi.applications.versions import compare, freeze_version
from fsi.db import db, utcnow
from fsi.workflow.service import WorkflowRefused, fire
from tests.factories import create_application, create_open_call, create_organisation, create_user, fill_application


@pytest.fixture
def ready(in_db):
    """A complete draft and its applicant."""
    with in_db():
        organisation = create_organisation()
        user = create_user(role=Role.applicant, organisation=organisation)
        call = create_open_call(required_attachments=["Délibération"])
        application = fill_application(create_application(call=call, organisation=organisation))
    return application.id, user


def test_a_complete_application_has_no_problem(in_db, ready):
    application_id, _user = ready
    with in_db():
        assert problems(db.session.get(Application, application_id)) == []


@pytest.mark.parametrize("change, section, field_id, message", [
    ({"title": ""}, "project", "title", "Indiquez le titre du projet."),
    ({"contact_email": ""}, "organisation", "contact_email", "Indiquez l'adresse de courriel"),
    ({"kind": "joint_innovation"}, "organisation", "co_applicants", "au moins un organisme co-porteur"),
    ({"requested_amount": None}, "budget", "requested_amount", "Indiquez le montant demandé."),
    ({"requested_amount": "10000.01"}, "budget", "requested_amount", "dépasse la subvention maximale"),
    ({"end_date": None}, "timeline", "end_date", "Indiquez la date de fin."),
    ({"indicators": " "}, "results", "indicators", "Indiquez les indicateurs d'évaluation."),
])
def test_each_missing_piece_is_a_problem_with_its_field(in_db, ready, change, section, field_id, message):
    from decimal import Decimal

    application_id, _user = ready
    with in_db():
        application = db.session.get(Application, application_id)
        for key, value in change.items():
            setattr(application, key, Decimal(value) if key == "requested_amount" and value else value)
        found = [(p.section, p.field_id, str(p.message)) for p in problems(application)]
        assert len(found) == 1 and found[0][:2] == (section, field_id) and message in found[0][2], found


@pytest.mark.parametrize("kw, field_id, message", [
    # 2 000 € HT is 2 400 € TTC: below the fund's 3 000 € TTC
    ({"costs": ["2000"], "requested": "1000"}, "cost_lines",
     "(2\u202f400,00\xa0€ TTC) est inférieur au minimum de l'appel (3\u202f000,00\xa0€ TTC)"),
    ({"costs": ["20000"], "requested": "8000", "end_date": __import__("datetime").date(2030, 1, 2)},
     "end_date", "plus de 36 mois"),
    ({"costs": ["20000"], "requested": "8000", "attachments": []}, "label", "Pièce manquante : Délibération."),
    ({"costs": ["20000"], "requested": "8000", "cofundings": [("Fondation", False, "20000")]}, "cofundings",
     "dépassent le coût total"),
])
def test_budget_timeline_and_attachment_rules(in_db, kw, field_id, message):
    with in_db():
        call = create_open_call(required_attachments=["Délibération"])
        application = fill_application(create_application(call=call), **kw)
        found = [(p.field_id, str(p.message)) for p in problems(application)]
        assert [f for f, _m in found] == [field_id] and message in found[0][1], found


@pytest.mark.parametrize("includes_tax, problems_found", [(True, []), (False, ["cost_lines"])])
def test_the_minimum_cost_reads_tax_included_unless_the_call_says_otherwise(in_db, includes_tax, problems_found):
    """2 500 € HT is 3 000 € TTC: accepted under the fund's rule (TTC), refused when a call
    compares the cost excluding tax."""
    with in_db():
        call = create_open_call(required_attachments=[], min_cost_includes_tax=includes_tax)
        application = fill_application(create_application(call=call), costs=["2500"], requested="1000")
        assert [p.field_id for p in problems(application)] == problems_found


def test_the_eligible_cost_counts_tax_when_the_vat_is_not_recovered(in_db):
    with in_db():
        call = create_open_call(required_attachments=[])
        application = fill_application(create_application(call=call), costs=["20000"])
        assert maximum_grant(application).eligible_cost == Decimal("20000.00")
        application.vat_recoverable = False
        assert maximum_grant(application).eligible_cost == Decimal("24000.00")  # 20 % VAT counted
        assert maximum_grant(application).terms[0].value == Decimal("12000.00")  # 50 % of it


def test_submit_is_refused_when_the_call_is_closed(in_db, ready):
    application_id, user = ready
    with in_db():
        application = db.session.get(Application, application_id)
        from fsi.calls.models import Call

        call = db.session.get(Call, application.call_id)
        call.closes_at = utcnow() - timedelta(minutes=1)
        db.session.flush()
        with pytest.raises(WorkflowRefused) as refused:
            fire(application, "submit", user)
        assert any("L'appel à projets est clos" in r for r in refused.value.reasons)
        assert application.state == "draft"


def test_versions_returned_then_resubmitted_and_compared(client, in_db, login, ready):
    application_id, user = ready
    with in_db():
        staff = create_user(role=Role.staff)
        application = db.session.get(Application, application_id)
        fire(application, "submit", user)
        fire(application, "return_for_completion", staff, comment="Précisez le résumé.")
    login(user)
    version = client.get(f"/applications/{application_id}")  # editable again
    assert "Déposer" in version.get_data(as_text=True)
    with in_db():
        current = db.session.get(Application, application_id).version
    response = client.post(f"/applications/{application_id}/section/project", data={
        "version": current, "title": "Nouveau titre", "summary": "Résumé précisé avec les locataires.",
        "description": "Description.", "innovation": "Innovation.", "beneficiaries": "Locataires.",
        "territory_id": _attr(in_db, application_id, "territory_id"), "kind": "innovation",
        "theme_id": _attr(in_db, application_id, "theme_id")})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    response = client.post(f"/applications/{application_id}/submit",
                           data={"version": _attr(in_db, application_id, "version")})
    assert response.status_code == 302
    with in_db():
        versions = db.session.exec(select(ApplicationVersion).order_by(ApplicationVersion.number)).all()
        assert [v.number for v in versions] == [1, 2]
        assert versions[0].snapshot["summary"] == "Résumé."
        assert versions[1].snapshot["title"] == "Nouveau titre"
    client.post("/logout")
    login(staff)
    text = client.get(f"/applications/{application_id}/versions?old=1&new=2").get_data(as_text=True)
    assert '<del class="diff-removed">Résumé.</del>' in text
    assert '<ins class="diff-added">Résumé précisé avec les locataires.</ins>' in text
    assert '<ins class="diff-added">Nouveau</ins>' in text
    assert client.get(f"/applications/{application_id}/versions?old=1&new=9").status_code == 404


def _attr(in_db, application_id, name):
    with in_db():
        return getattr(db.session.get(Application, application_id), name)


def test_compare_marks_changes_and_escapes_html():
    rows = {str(label): (str(left), str(right), changed) for label, left, right, changed in compare(
        {"title": "Un titre", "summary": "même", "partners": "<b>A</b> et B"},
        {"title": "Un titre nouveau", "summary": "même", "partners": "B"})}
    assert rows["Titre"] == ("Un titre", 'Un titre<ins class="diff-added"> nouveau</ins>', True)
    assert rows["Résumé"] == ("même", "même", False)
    left, right, _changed = rows["Partenaires"]
    assert left == '<del class="diff-removed">&lt;b&gt;A&lt;/b&gt; et </del>B' and right == "B"


def test_references_follow_each_other_per_year_and_are_never_reused(in_db):
    with in_db():
        first, second = next_reference(2026), next_reference(2026)
        assert (first, second) == ("FSI-2026-0001", "FSI-2026-0002")
        assert next_reference(2027) == "FSI-2027-0001"
        application = create_application(reference=next_reference(2026))
        db.session.exec(delete(Application).where(Application.id == application.id))
        assert next_reference(2026) == "FSI-2026-0004"


def test_references_are_unique_under_concurrency(app, in_db):
    """Threads each in their own transaction: every number handed out once."""
    with in_db():
        next_reference(2031)  # the counter row exists; the race is on the increment
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                for _ in range(5):
                    results.append(next_reference(2031))
                    db.commit()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [f"FSI-2031-{n:04d}" for n in range(2, 22)]


def test_deferred_application_is_edited_then_resubmitted_as_a_new_version(in_db, ready):
    application_id, user = ready
    with in_db():
        application = db.session.get(Application, application_id)
        application.state = "deferred"  # test data: the committee asked for revisions
        application.revision = 1
        db.session.flush()
        freeze_version(application, user, "submit")  # the deferred file as it was decided on
        with pytest.raises(WorkflowRefused, match="n'a pas changé depuis qu'il a été ajourné"):
            fire(application, "resubmit", user)
        application.summary = "Résumé révisé."
        db.session.flush()
        fire(application, "resubmit", user)
        # back through eligibility, not straight to the reviewers
        assert application.state == "submitted" and application.revision == 3
        version = db.session.exec(select(ApplicationVersion).where(ApplicationVersion.number == 3)).one()
        assert (version.trigger, version.snapshot["summary"]) == ("resubmit", "Résumé révisé.")


def test_staff_see_the_calculator_and_joint_projects_need_co_applicants(client, in_db, login, ready):
    application_id, user = ready
    with in_db():
        partner = create_organisation(name="Partenaire Habitat")
        staff = create_user(role=Role.staff)
        db.session.get(Application, application_id).kind = "joint_innovation"
    login(user)
    version = _attr(in_db, application_id, "version")
    assert "Partenaire Habitat" in client.get(f"/applications/{application_id}/section/organisation").get_data(
        as_text=True)
    response = client.post(f"/applications/{application_id}/submit", data={"expected_version": version})
    assert "au moins un organisme co-porteur" in response.get_data(as_text=True)
    response = client.post(f"/applications/{application_id}/section/organisation", data={
        "version": version, "contact_name": "Camille", "contact_email": "c@example.org",
        "co_applicants": [str(partner.id)]})
    assert response.status_code == 302
    with in_db():
        from fsi.applications.completeness import problems as found

        assert found(db.session.get(Application, application_id)) == []
    client.post("/logout")
    login(staff)
    page = client.get(f"/applications/{application_id}").get_data(as_text=True)
    assert "Subvention maximale" in page and "Projet d&#39;innovation inter-organismes" in page


def test_a_frozen_version_reads_the_french_way(in_db):
    """Versions are a French record: amounts and dates formatted the French way, whatever the
    reader's language later."""
    from fsi.applications.versions import snapshot

    with in_db():
        call = create_open_call()
        application = fill_application(create_application(call=call), costs=("12500.50",), requested="6000.00",
                                       cofundings=(("Région", True, "1000.00"),))
        answers = snapshot(application)
    assert answers["requested_amount"] == "6\u202f000,00\xa0€"
    assert answers["start_date"] == "01/01/2027" and answers["end_date"] == "30/06/2028"
    assert "12\u202f500,50\xa0€ HT / 15\u202f000,60\xa0€ TTC" in answers["cost_lines"]
    assert answers["cofundings"] == "Région (public) : 1\u202f000,00\xa0€"


@pytest.mark.parametrize("state, trigger", [("draft", "submit"), ("returned", "complete"), ("deferred", "resubmit")])
def test_a_submit_from_a_stale_page_is_refused_not_applied(app, client, in_db, login, ready, state, trigger):
    """The page's form is the workflow's action form: it posts ``<trigger>-expected_version``, the
    version the applicant saw (« Déposer », « Renvoyer le dossier complété », « Déposer le dossier
    révisé »). A change saved meanwhile (another tab, a colleague) makes that hand-in stale:
    refused, nothing handed in, the reason said."""
    application_id, user = ready
    with in_db():
        db.session.get(Application, application_id).state = state
    login(user)
    seen = _attr(in_db, application_id, "version")
    if trigger == "submit":  # the form as the page shows it
        page = client.get(f"/applications/{application_id}").get_data(as_text=True)
        assert re.search(rf'name="submit-expected_version"[^>]*value="{seen}"', page)
    with in_db():
        db.session.get(Application, application_id).version += 1  # saved meanwhile
    response = client.post(f"/applications/{application_id}/submit",
                           data={f"{trigger}-expected_version": seen}, follow_redirects=True)
    assert "modifiées entre-temps" in response.get_data(as_text=True)
    assert _attr(in_db, application_id, "state") == state
