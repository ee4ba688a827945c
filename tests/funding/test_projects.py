"""A funded project's own life (fsi.funding.projects, project_flow, views/projects): opened on the
award in both circuits, started with its agreement or without, amended, extended, lapsed, left
(renounced, abandoned); its list, its page and its card on the application's page."""
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from fsi.accounts.models import Role, User
from fsi.applications.models import Application
from fsi.db import db
from fsi.errors import Refused
from fsi.funding import projects
from fsi.funding.models import Extension, Project, Report, ReportKind, Tranche
from fsi.i18n import today
from fsi.workflow.definitions import get_workflow
from fsi.workflow.service import WorkflowRefused, available_actions, fire
from tests.factories import create_application, create_open_call, create_user
from tests.funding.conftest import open_granted, pdf
from tests.queries import count_statements


def get(model, ident):
    return db.session.get(model, ident)


def csrf_free(app):
    app.config["WTF_CSRF_ENABLED"] = False


# --- Dates -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)), (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2026, 11, 30), 36, date(2029, 11, 30)), (date(2026, 12, 15), 12, date(2027, 12, 15))])
def test_add_months_keeps_or_clamps_the_day(day, months, expected):
    assert projects.add_months(day, months) == expected


# --- Opening on the award, in both circuits --------------------------------------------------------

@pytest.mark.parametrize("amount, required", [("60000.00", True), ("23000.00", False)])
def test_the_regional_approval_opens_the_project(in_db, open_guards, amount, required):
    with in_db():
        staff = create_user(role=Role.staff)
        application = create_application(call=create_open_call(), state="scheduled")
        fire(application, "approve", staff, data={"amount": amount})
        project = projects.project_of(application)
        assert (project.granted_amount, project.agreement_required) == (Decimal(amount), required)
        assert (project.paid_total, project.starts_on) == (Decimal("0.00"), None)


def test_the_national_grant_opens_the_project(in_db, open_guards):
    with in_db():
        staff = create_user(role=Role.staff)
        application = create_application(call=create_open_call(circuit="application_fsi"), state="at_cglls")
        fire(application, "record_national_grant", staff, data={"amount": "45000,50", "date": "2026-11-02"})
        project = projects.project_of(application)
        assert (project.granted_amount, project.agreement_required) == (Decimal("45000.50"), True)
        assert projects.open_project(application).id == project.id  # once only


# --- Starting ----------------------------------------------------------------------------------

def test_the_agreement_must_be_recorded_before_it_is_signed(in_db):
    with in_db():
        project, application, _applicant, staff = open_granted("60000.00")
        with pytest.raises(WorkflowRefused, match="Enregistrez d'abord la convention"):
            fire(application, "sign_agreement", staff, data={"date": "2026-11-02"})
        with pytest.raises(Refused, match="au plus 36 mois"):
            projects.record_agreement(project, staff, date(2026, 11, 2), pdf(), date(2026, 12, 1), date(2029, 12, 2))
        with pytest.raises(Refused, match="Joignez la convention"):
            projects.record_agreement(project, staff, date(2026, 11, 2), None, date(2026, 12, 1), date(2027, 12, 1))


def test_signing_starts_the_project_with_its_reports_and_schedule(in_db, funded):
    made = funded("60000.00", starts_on=date(2026, 1, 5), ends_on=date(2027, 12, 31))
    with in_db():
        project, application = get(Project, made.project_id), get(Application, made.application_id)
        assert application.state == "in_progress"
        assert (project.starts_on, project.ends_on, project.agreement_signed_on) == (
            date(2026, 1, 5), date(2027, 12, 31), date(2026, 1, 5))
        assert project.agreement_attachment_id is not None
        tranches = db.session.exec(select(Tranche).where(Tranche.project_id == project.id)).all()
        assert sum(t.amount for t in tranches) == Decimal("60000.00")
        kinds = [r.kind for r in db.session.exec(select(Report).where(Report.project_id == project.id)
                                                 .order_by(Report.due_on))]
        assert kinds[-1] == ReportKind.final and len(kinds) >= 2


def test_a_small_grant_starts_today_for_the_calls_maximum_duration(in_db, funded):
    made = funded("12000.00", max_duration_months=24)
    with in_db():
        project = get(Project, made.project_id)
        assert not project.agreement_required
        assert (project.starts_on, project.ends_on) == (today(), projects.add_months(today(), 24))
        assert get(Application, made.application_id).state == "in_progress"


def test_the_agreement_page_records_it_and_starts_the_project(app, client, login, in_db):
    csrf_free(app)
    with in_db():
        project, application, _applicant, staff = open_granted("60000.00")
        ids = project.id, application.id, application.version
    login(staff)
    page = client.get(f"/projects/agreement/{ids[1]}")
    assert page.status_code == 200 and "Enregistrer la convention" in page.get_data(as_text=True)
    too_long = {"expected_version": str(ids[2]), "signed_on": "2026-11-02", "starts_on": "2026-12-01",
                "ends_on": "2030-01-01", "document": pdf()}
    response = client.post(f"/projects/agreement/{ids[1]}", data=too_long, content_type="multipart/form-data")
    assert response.status_code == 422 and "au plus 36 mois" in response.get_data(as_text=True)
    good = too_long | {"ends_on": "2028-11-30", "document": pdf()}
    response = client.post(f"/projects/agreement/{ids[1]}", data=good, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"] == f"/projects/{ids[0]}"
    with in_db():
        assert get(Application, ids[1]).state == "in_progress"
        assert get(Project, ids[0]).ends_on == date(2028, 11, 30)


def test_only_staff_record_the_agreement(client, login, in_db):
    with in_db():
        _project, application, applicant, _staff = open_granted("60000.00")
    login(applicant)
    assert client.get(f"/projects/agreement/{application.id}").status_code == 403


# --- Amendments, extensions, lapse -----------------------------------------------------------

def test_an_extension_moves_the_end_and_the_final_report_at_most_as_often_as_the_call_allows(in_db, funded):
    made = funded("60000.00", max_extensions=1, starts_on=date(2026, 1, 5), ends_on=date(2027, 1, 4))
    with in_db():
        project, staff = get(Project, made.project_id), get(User, made.staff_id)
        final_before = db.session.exec(select(Report).where(Report.project_id == project.id,
                                                            Report.kind == ReportKind.final)).one().due_on
        with pytest.raises(Refused, match="motif"):
            projects.extend(project, staff, "  ")
        extension = projects.extend(project, staff, "Retard du chantier.", project.version)
        assert (extension.previous_end, extension.new_end, project.ends_on) == (
            date(2027, 1, 4), date(2028, 1, 4), date(2028, 1, 4))
        final_after = db.session.exec(select(Report).where(Report.project_id == project.id,
                                                           Report.kind == ReportKind.final)).one().due_on
        assert final_after == projects.add_months(final_before, 12)
        with pytest.raises(Refused, match=r"toutes les prolongations que permet l'appel \(1\)"):
            projects.extend(project, staff, "Encore.")
        assert len(db.session.exec(select(Extension)).all()) == 1


def test_a_project_whose_final_report_is_accepted_is_no_longer_extended(in_db, funded):
    made = funded("60000.00")
    with in_db():
        project, staff = get(Project, made.project_id), get(User, made.staff_id)
        assert projects.why_not_extendable(project) is None
        project.due_amount = Decimal("50000.00")  # what accepting the final report records
        db.session.flush()
        with pytest.raises(Refused, match="bilan final est accepté"):
            projects.extend(project, staff, "Trop tard.")
        assert db.session.exec(select(Extension)).all() == []


def test_an_amendment_is_recorded_with_its_document(in_db, funded):
    made = funded("60000.00")
    with in_db():
        project, staff = get(Project, made.project_id), get(User, made.staff_id)
        amendment = projects.add_amendment(project, staff, date(2026, 6, 1), "Changement de prestataire.",
                                           pdf("avenant.pdf"))
        assert amendment.attachment_id is not None
        assert [a.reason for a in projects.amendments_of(project)] == ["Changement de prestataire."]
        with pytest.raises(Refused, match="futur"):
            projects.add_amendment(project, staff, date(2099, 1, 1), "Plus tard.")


def test_a_project_past_its_end_with_money_left_is_flagged_then_lapsed(in_db, funded):
    made = funded("60000.00", starts_on=date(2023, 1, 2), ends_on=date(2025, 12, 31))
    with in_db():
        project, staff = get(Project, made.project_id), get(User, made.staff_id)
        assert projects.is_overdue(project) and not projects.is_overdue(project, on=date(2025, 12, 31))
        projects.record_lapse(project, staff, "Aucune dépense depuis 2024.", project.version)
        assert (project.lapsed_on, project.lapsed_reason) == (today(), "Aucune dépense depuis 2024.")
        assert not projects.is_overdue(project)
        with pytest.raises(Refused, match="déjà constatée"):
            projects.record_lapse(project, staff, "Encore.")


def test_no_lapse_before_the_end(in_db, funded):
    made = funded("60000.00", starts_on=date(2026, 1, 5))
    with in_db(), pytest.raises(Refused, match="après la fin du projet"):
        projects.record_lapse(get(Project, made.project_id), get(User, made.staff_id), "Trop tôt.")


# --- Leaving -----------------------------------------------------------------------------------

def test_abandonment_asks_what_is_still_due_and_releases_the_rest(in_db, funded):
    made = funded("60000.00")
    with in_db():
        application, staff = get(Application, made.application_id), get(User, made.staff_id)
        with pytest.raises(WorkflowRefused, match="montant est obligatoire"):
            fire(application, "abandon", staff, comment="Projet arrêté.")
        fire(application, "abandon", staff, comment="Projet arrêté.", data={"still_due": "0,00"})
        project = get(Project, made.project_id)
        assert project.due_amount == Decimal("0.00")
        states = {t.state for t in db.session.exec(select(Tranche).where(Tranche.project_id == project.id))}
        assert states == {"cancelled"}
        reports = {r.state for r in db.session.exec(select(Report).where(Report.project_id == project.id))}
        assert reports == {"cancelled"}


def test_a_renounced_grant_releases_its_project(in_db, funded):
    made = funded("12000.00")
    with in_db():
        application, applicant = get(Application, made.application_id), get(User, made.applicant_id)
        fire(application, "renounce", applicant, comment="Le conseil d'administration a changé d'avis.")
        assert get(Project, made.project_id).due_amount == Decimal("0.00")
        assert {t.state for t in db.session.exec(select(Tranche))} == {"cancelled"}


@pytest.mark.parametrize("circuit", ["application", "application_fsi"])
def test_the_final_report_moves_the_file_only_through_the_report_workflow(circuit):
    workflow = get_workflow(circuit)
    assert workflow.transition("submit_final_report") is None and workflow.transition("return_final_report") is None
    accept = workflow.transition("accept_final_report")
    assert (accept.sources, accept.dest, accept.roles) == (("in_progress",), "final_report", ("system",))
    assert workflow.transition("close").guards == ("nothing_left_to_pay",)
    assert "release_project" in workflow.transition("abandon").effects
    assert workflow.transition("abandon").data == ("still_due",)


def test_staff_cannot_accept_the_final_report_by_hand(in_db, funded):
    made = funded("12000.00")
    with in_db():
        application, staff = get(Application, made.application_id), get(User, made.staff_id)
        assert "accept_final_report" not in {a.trigger for a in available_actions(application, staff)}
        with pytest.raises(WorkflowRefused, match="non autorisée"):
            fire(application, "accept_final_report", staff)


# --- Pages -------------------------------------------------------------------------------------

def test_the_list_shows_staff_every_project_and_applicants_their_own(client, login, in_db, funded):
    mine, other = funded("60000.00"), funded("12000.00")
    with in_db():
        applicant = get(User, mine.applicant_id)
        references = {made.project_id: get(Application, made.application_id).reference for made in (mine, other)}
        staff = get(User, mine.staff_id)
    login(staff)
    page = client.get("/projects/").get_data(as_text=True)
    assert references[mine.project_id] in page and references[other.project_id] in page
    page = client.get(f"/projects/?call={other.call_id}").get_data(as_text=True)
    assert references[mine.project_id] not in page and references[other.project_id] in page
    client.post("/logout")
    login(applicant)
    page = client.get("/projects/").get_data(as_text=True)
    assert references[mine.project_id] in page and references[other.project_id] not in page
    assert client.get(f"/projects/{other.project_id}").status_code == 404


def test_the_project_page_shows_the_figures_and_one_history(client, login, in_db, funded):
    made = funded("60000.00", starts_on=date(2026, 1, 5))
    with in_db():
        projects.extend(get(Project, made.project_id), get(User, made.staff_id), "Retard du chantier.")
        staff = get(User, made.staff_id)
    login(staff)
    page = client.get(f"/projects/{made.project_id}").get_data(as_text=True)
    for text in ("60\u202f000,00\xa0€", "Convention signée le 05/01/2026", "Prolongation de 12 mois",
                 "Retard du chantier.", "Enregistrer la convention signée", "Historique du projet"):
        assert text in page, text


def test_the_application_page_links_to_its_project(client, login, in_db, funded):
    made = funded("12000.00")
    with in_db():
        applicant = get(User, made.applicant_id)
    login(applicant)
    page = client.get(f"/applications/{made.application_id}").get_data(as_text=True)
    assert "Projet financé" in page and f"/projects/{made.project_id}" in page


def test_the_project_page_costs_the_same_whatever_its_reports_and_tranches(app, client, login, in_db, funded):
    few = funded("60000.00", progress_reports=0)
    many = funded("60000.00", progress_reports=3, payment_schedule=[
        {"label": "Avance", "share": 30, "on": "agreement"}, {"label": "Étape", "share": 40, "on": "progress"},
        {"label": "Solde", "share": 30, "on": "final"}])
    with in_db():
        staff = get(User, few.staff_id)
        counts = [len(db.session.exec(select(Report).where(Report.project_id == made.project_id)).all())
                  for made in (few, many)]
    assert counts[0] < counts[1]
    login(staff)
    costs = []
    for made in (few, many):
        client.get(f"/projects/{made.project_id}")  # warm caches (definitions, templates)
        with count_statements(app) as statements:
            assert client.get(f"/projects/{made.project_id}").status_code == 200
        costs.append(len(statements))
    assert costs[0] == costs[1]


def test_staff_extend_from_the_page_and_a_stale_form_changes_nothing(app, client, login, in_db, funded):
    csrf_free(app)
    made = funded("60000.00", starts_on=date(2026, 1, 5), ends_on=date(2027, 1, 4))
    with in_db():
        staff, version = get(User, made.staff_id), get(Project, made.project_id).version
    login(staff)
    client.post(f"/projects/{made.project_id}/extensions", data={"expected_version": str(version),
                                                                 "reason": "Retard."})
    client.post(f"/projects/{made.project_id}/extensions", data={"expected_version": str(version),
                                                                 "reason": "Double clic."})
    with in_db():
        assert get(Project, made.project_id).ends_on == date(2028, 1, 4)


def test_applicants_may_not_extend(app, client, login, in_db, funded):
    csrf_free(app)
    made = funded("60000.00")
    with in_db():
        applicant, version = get(User, made.applicant_id), get(Project, made.project_id).version
    login(applicant)
    response = client.post(f"/projects/{made.project_id}/extensions",
                           data={"expected_version": str(version), "reason": "Svp."})
    assert response.status_code == 403


# --- The demo ----------------------------------------------------------------------------------

def test_the_demo_funds_a_project_to_its_balance_and_abandons_another_idempotently(app):
    from fsi.funding import demo, payments
    from fsi.workflow.audit import verify
    from tests.factories import run_demo

    lines = run_demo(app)
    assert any("avance et solde versés" in line for line in lines), lines
    assert any("abandonné après son avance" in line for line in lines), lines
    with app.test_request_context():
        done = get(Project, projects.project_of(db.session.exec(select(Application).where(
            Application.title == demo.COMPLETED)).one()).id)
        assert done.granted_amount == Decimal("60000.00") and done.agreement_signed_on is not None
        assert done.due_amount < done.granted_amount
        assert done.paid_total == done.due_amount
        assert get(Application, done.application_id).state == "disseminated"  # the dissemination demo closes it and publishes its sheet
        left = projects.project_of(db.session.exec(select(Application).where(
            Application.title == demo.ABANDONED)).one())
        assert not left.agreement_required and get(Application, left.application_id).state == "abandoned"
        assert [c.received_on is not None for c in payments.clawbacks_of(left)] == [True]
        assert demo.seed_funding() == []  # idempotent
        assert verify().ok


def test_a_reviewer_employed_by_a_housing_body_has_no_project_list(client, in_db, login):
    """Its organisation's projects are not a reviewer's to follow (the list and each page)."""
    with in_db():
        project, application, _applicant, _staff = open_granted()
        project_id = project.id
        reviewer = create_user(role=Role.reviewer, organisation_id=application.organisation_id)
    login(reviewer)
    assert client.get("/projects/").status_code == 403
    assert client.get(f"/projects/{project_id}").status_code == 403
