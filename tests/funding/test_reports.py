"""Reports of a funded project: their schedule, the form (indicators, spending by budget line,
attachments), the workflow (submit, return with comments, accept) and the final report's
acceptance moving the application on."""
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.applications.models import Application, Attachment, CoApplicant
from fsi.db import db
from fsi.errors import Refused
from fsi.funding import reports
from fsi.funding.models import Project, Report, ReportKind
from fsi.i18n import today as paris_today
from fsi.workflow.events import events_of
from fsi.workflow.service import WorkflowRefused, fire
from tests.factories import create_application, create_open_call, create_organisation, create_user, fill_application
from tests.queries import count_statements

INDICATORS = "Logements rénovés : 40\n- Locataires formés : 100\n"


def make_project(progress_reports=1, starts_on=date(2027, 1, 1), ends_on=date(2028, 12, 31), build=True):
    """A granted, started project (models set directly: F1's fixtures may replace this)."""
    call = create_open_call(progress_reports=progress_reports)
    lead_org = create_organisation()
    application = create_application(call=call, organisation=lead_org, state="in_progress")
    fill_application(application, costs=("20000.00", "10000.00"), indicators=INDICATORS)
    project = Project(application_id=application.id, granted_amount=Decimal("8000.00"), starts_on=starts_on,
                      ends_on=ends_on)
    db.session.add(project)
    db.session.flush()
    if build:
        reports.build_reports(project)
    return project


@pytest.fixture
def world(in_db):
    with in_db():
        project = make_project()
        application = db.session.get(Application, project.application_id)
        lead = create_user(organisation=db.session.get(type(create_organisation()), application.organisation_id))
        staff = create_user(role=Role.staff)
        co_org = create_organisation()
        db.session.add(CoApplicant(application_id=application.id, organisation_id=co_org.id))
        partner = create_user(organisation=co_org)
        stranger = create_user()
        ids = dict(project=project.id, application=application.id, lead=lead.id, staff=staff.id,
                   partner=partner.id, stranger=stranger.id)
    return ids


def user(ident):
    from fsi.accounts.models import User

    return db.session.get(User, ident)


def fill(report, lead, actual=("18000.50", "9000.00")):
    return reports.save_draft(report, lead, achievements="Quarante logements rénovés.", difficulties="Retards.",
                              lessons="Associer les locataires tôt.", measured=["38", "95"],
                              actual=[Decimal(value) for value in actual], attachment_ids=[])


# --- The schedule ------------------------------------------------------------------------------

def test_build_reports_spreads_progress_reports_and_puts_the_final_three_months_after_the_end(in_db):
    with in_db():
        project = make_project(progress_reports=2, starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31))
        rows = reports.reports_of(project.id)
        assert [(row.kind, row.due_on) for row in rows] == [
            (ReportKind.progress, date(2027, 5, 2)), (ReportKind.progress, date(2027, 8, 31)),
            (ReportKind.final, date(2028, 3, 31))]
        assert {row.state for row in rows} == {"draft"}
        assert rows[0].indicators == [{"label": "Logements rénovés : 40", "measured": ""},
                                      {"label": "Locataires formés : 100", "measured": ""}]
        assert [(line["label"], line["planned"], line["eligible"]) for line in rows[0].spending] == [
            ("Dépense 0", "20000.00", True), ("Dépense 1", "10000.00", True)]
        assert reports.build_reports(project) == []  # a second call keeps the schedule
        assert len(reports.reports_of(project.id)) == 3


def test_final_due_clamped_to_the_end_of_a_shorter_month(in_db):
    with in_db():
        project = make_project(progress_reports=0, starts_on=date(2027, 1, 1), ends_on=date(2027, 11, 30))
        assert [row.due_on for row in reports.reports_of(project.id)] == [date(2028, 2, 29)]


def test_move_final_due_follows_an_extension_until_the_report_is_filed(in_db, world):
    with in_db():
        project = db.session.get(Project, world["project"])
        project.ends_on = date(2029, 12, 31)
        final = reports.move_final_due(project)
        assert final.due_on == date(2030, 3, 31)
        fill(reports.reports_of(project.id)[0], user(world["lead"]))
        fill(final, user(world["lead"]))
        fire(final, "submit", user(world["lead"]))
        project.ends_on = date(2030, 12, 31)
        assert reports.move_final_due(project).due_on == date(2030, 3, 31)


def test_cancel_open_reports_leaves_filed_ones(in_db, world):
    with in_db():
        project = db.session.get(Project, world["project"])
        progress, final = reports.reports_of(project.id)
        fill(progress, user(world["lead"]))
        fire(progress, "submit", user(world["lead"]))
        cancelled = reports.cancel_open_reports(project, user(world["staff"]), "Abandon du projet.")
        assert [row.id for row in cancelled] == [final.id]
        assert (progress.state, final.state) == ("submitted", "cancelled")
        assert events_of("report", final.id)[-1].comment == "Abandon du projet."


# --- Content and workflow ----------------------------------------------------------------------

def test_spending_totals_in_decimal_to_the_cent(in_db, world):
    with in_db():
        report = reports.reports_of(world["project"])[0]
        report.spending = [dict(report.spending[0]), dict(report.spending[1], eligible=False)]
        fill(report, user(world["lead"]), actual=("18000.50", "9000.01"))
        totals = reports.spending_totals(report)
        assert totals == reports.SpendingTotals(Decimal("30000.00"), Decimal("27000.51"), Decimal("-2999.49"),
                                                Decimal("18000.50"))


def test_submit_is_refused_until_complete_then_return_keeps_the_comment(in_db, world):
    with in_db():
        lead, staff = user(world["lead"]), user(world["staff"])
        report = reports.reports_of(world["project"])[0]
        with pytest.raises(WorkflowRefused) as refused:
            fire(report, "submit", lead)
        assert "réalisations" in " ".join(refused.value.reasons)
        assert "dépense réelle" in " ".join(refused.value.reasons)
        fill(report, lead)
        fire(report, "submit", lead)
        assert report.state == "submitted" and report.submitted_at is not None
        with pytest.raises(Refused):
            fill(report, lead)  # filed: it no longer changes
        with pytest.raises(WorkflowRefused):
            fire(report, "return", staff)  # a comment is required
        fire(report, "return", staff, comment="Joignez les factures.")
        fill(report, lead, actual=("18500.00", "9000.00"))
        fire(report, "submit", lead)
        fire(report, "accept", staff)
        assert report.state == "accepted"
        assert [(e.trigger, e.comment) for e in events_of("report", report.id)] == [
            ("submit", None), ("return", "Joignez les factures."), ("submit", None), ("accept", None)]
        application = db.session.get(Application, world["application"])
        assert application.state == "in_progress"  # a progress report moves nothing else


def test_only_the_lead_writes_and_only_its_attachments(in_db, world):
    with in_db():
        report = reports.reports_of(world["project"])[0]
        with pytest.raises(Refused):
            fill(report, user(world["partner"]))
        other = create_application()
        foreign = Attachment(application_id=other.id, filename="x.pdf", stored_name="f" * 64,
                             content_type="application/pdf", size=1, sha256="0" * 64)
        db.session.add(foreign)
        db.session.flush()
        with pytest.raises(Refused):
            reports.save_draft(report, user(world["lead"]), achievements="", difficulties="", lessons="",
                               measured=["", ""], actual=[None, None], attachment_ids=[foreign.id])
        own = Attachment(application_id=world["application"], filename="facture.pdf", stored_name="o" * 64,
                         content_type="application/pdf", size=1, sha256="0" * 64)
        db.session.add(own)
        db.session.flush()
        reports.save_draft(report, user(world["lead"]), achievements="", difficulties="", lessons="",
                           measured=["", ""], actual=[None, None], attachment_ids=[own.id])
        assert report.attachment_ids == [own.id] and report.version == 2


def test_accepting_the_final_report_recomputes_the_balance_and_moves_the_application(in_db, world):
    with in_db():
        lead, staff = user(world["lead"]), user(world["staff"])
        progress, final = reports.reports_of(world["project"])
        fill(final, lead, actual=("10000.00", "5000.00"))
        fire(final, "submit", lead)
        fire(final, "accept", staff)
        application = db.session.get(Application, world["application"])
        project = db.session.get(Project, world["project"])
        assert application.state == "final_report"
        assert project.due_amount is not None and project.due_terms["actual_eligible"] == "15000.00"
        event = events_of("application", application.id)[-1]
        assert (event.trigger, event.actor_id) == ("accept_final_report", None)  # fired by FSI itself


# --- Pages -------------------------------------------------------------------------------------

def test_the_lead_saves_a_draft_through_the_form(client, login, in_db, world):
    with in_db():
        report_id = reports.reports_of(world["project"])[0].id
        email = user(world["lead"]).email
    login(type("U", (), {"email": email})())
    page = client.get(f"/projects/reports/{report_id}")
    assert page.status_code == 200 and "Logements rénovés : 40" in page.get_data(as_text=True)
    response = client.post(f"/projects/reports/{report_id}", data={
        "achievements": "Fait.", "measured-0": "38", "measured-1": "95", "actual-0": "18 000,50",
        "actual-1": "9 000", "difficulties": "", "lessons": "", "expected_version": "1"})
    assert response.status_code == 302
    with in_db():
        report = db.session.get(Report, report_id)
        assert [line["actual"] for line in report.spending] == ["18000.50", "9000.00"]
        assert reports.missing(report) == []
    stale = client.post(f"/projects/reports/{report_id}", data={
        "achievements": "Autre.", "measured-0": "1", "measured-1": "2", "actual-0": "1", "actual-1": "2",
        "expected_version": "1"})
    assert stale.status_code == 422 and "modifiées entre-temps" in stale.get_data(as_text=True)
    with in_db():
        assert db.session.get(Report, report_id).achievements == "Fait."


@pytest.mark.parametrize(("who", "get_status", "post_status"), [
    ("staff", 200, 403), ("partner", 200, 403), ("stranger", 404, 404)])
def test_who_sees_and_who_writes_a_report(client, login, in_db, world, who, get_status, post_status):
    with in_db():
        report_id = reports.reports_of(world["project"])[0].id
        email = user(world[who]).email
    login(type("U", (), {"email": email})())
    assert client.get(f"/projects/reports/{report_id}").status_code == get_status
    assert client.post(f"/projects/reports/{report_id}", data={"achievements": "x"}).status_code == post_status


def test_anonymous_visitors_go_to_the_login_page(client, in_db, world):
    with in_db():
        report_id = reports.reports_of(world["project"])[0].id
    assert client.get(f"/projects/reports/{report_id}").status_code == 302


def test_report_rows_cost_one_query_whatever_the_number_of_reports(app, in_db, world):
    counts = []
    for progress in (1, 4):
        with in_db():
            project = make_project(progress_reports=progress)
            lead = create_user(organisation=None)
            with count_statements(app) as statements:
                rows = reports.report_rows(project, lead)
            assert len(rows) == progress + 1
            counts.append(len(statements))
    assert counts[0] == counts[1]


def test_report_rows_flag_the_overdue_ones_for_the_lead(in_db, world):
    with in_db():
        project = db.session.get(Project, world["project"])
        rows = reports.report_rows(project, user(world["lead"]))
        assert [row.may_edit for row in rows] == [True, True]
        assert [row.overdue for row in rows] == [date(2027, 12, 31) < paris_today(), False]
        assert [row.may_edit for row in reports.report_rows(project, user(world["staff"]))] == [False, False]
        assert db.session.exec(select(Report).where(Report.project_id == project.id)).all()


def test_a_project_started_through_the_workflow_files_its_reports_to_the_balance(in_db, funded):
    """With F1's start and F2's schedule: the reports exist from the start, the balance waits for
    the final report, whose acceptance recomputes what is due and moves the application on."""
    made = funded("60000.00", starts_on=date(2026, 1, 5))
    with in_db():
        from fsi.accounts.models import User
        from fsi.funding.models import Tranche

        lead, staff = db.session.get(User, made.applicant_id), db.session.get(User, made.staff_id)
        progress, final = reports.reports_of(made.project_id)
        assert (progress.kind, final.kind) == (ReportKind.progress, ReportKind.final)
        assert final.due_on == date(2029, 4, 5)  # three months after the end (36 months)
        balance = db.session.exec(select(Tranche).where(Tranche.project_id == made.project_id,
                                                        Tranche.is_balance.is_(True))).one()
        assert balance.condition_report_id == final.id
        for report, spent in ((progress, "20000.00"), (final, "90000.00")):
            reports.save_draft(report, lead, achievements="Fait.", difficulties="", lessons="", measured=["1"],
                               actual=[Decimal(spent)], attachment_ids=[])
            fire(report, "submit", lead)
            fire(report, "accept", staff)
        project = db.session.get(Project, made.project_id)
        assert project.due_terms["actual_eligible"] == "90000.00"
        assert db.session.get(Application, made.application_id).state == "final_report"
