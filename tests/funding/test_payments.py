"""F2 — money: the schedule, payments never beyond the grant (two staff at once included), the
balance recomputed from the final report, releases and clawbacks to the cent, and what the
envelope and the organisation's ceiling count once a project lives."""
import threading
from datetime import date

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db
from fsi.errors import Refused
from fsi.funding import payments
from fsi.funding.models import Clawback, Project, ReportKind, Tranche
from fsi.funding.payments import ScheduleLine
from fsi.i18n import today as paris_today
from fsi.workflow.registry import GUARDS, GuardContext
from fsi.workflow.service import WorkflowRefused, fire
from tests.factories import create_user
from tests.funding.money import (
    THREE_TRANCHES,
    D,
    accept,
    get,
    make_project,
    pay,
    report,
    text,
    tranches,
)
from tests.queries import count_statements

# --- The schedule ---------------------------------------------------------------------------

@pytest.mark.parametrize("granted, shares, expected", [
    ("60000.00", [50, 50], ["30000.00", "30000.00"]),
    ("1000.01", [50, 50], ["500.00", "500.01"]),
    ("100.00", [33, 33, 34], ["33.00", "33.00", "34.00"]),
    ("99.99", [33.3, 33.3, 33.4], ["33.29", "33.29", "33.41"]),
])
def test_split_rounds_down_and_the_last_part_takes_the_remainder(granted, shares, expected):
    parts = payments.split(D(granted), shares)
    assert parts == [D(value) for value in expected]
    assert sum(parts) == D(granted)


def test_the_schedule_follows_the_call_with_its_conditions(in_db):
    with in_db():
        project, _applicant = make_project("10000.01", schedule=THREE_TRANCHES)
        rows = tranches(project.id)
        assert [(t.position, t.label, t.amount) for t in rows] == [
            (1, "Avance", D("4000.00")), (2, "Tranche intermédiaire", D("3000.00")), (3, "Solde", D("3000.01"))]
        assert sum(t.amount for t in rows) == D("10000.01")
        assert rows[0].condition_report_id is None and rows[0].due_on == project.starts_on
        assert rows[1].condition_report_id == report(project.id, ReportKind.progress).id
        assert rows[2].condition_report_id == report(project.id, ReportKind.final).id
        assert [t.is_balance for t in rows] == [False, False, True]
        assert payments.build_schedule(project) == rows  # once only


def test_staff_edit_the_schedule_to_the_cent_before_the_first_payment(in_db, staff):
    with in_db():
        project, applicant = make_project("60000.00")
        advance, balance = tranches(project.id)
        staff_user = get(User, staff)
        with pytest.raises(Refused, match="totaliser la subvention"):
            payments.edit_schedule(project, staff_user, [ScheduleLine("Avance", D("20000.00"), None, advance.id),
                                                         ScheduleLine("Solde", D("39999.99"), None, balance.id)])
        final_id = report(project.id, ReportKind.final).id
        progress_id = report(project.id, ReportKind.progress).id
        payments.edit_schedule(project, staff_user, [
            ScheduleLine("Avance à la signature", D("20000.00"), None, advance.id),
            ScheduleLine("Tranche sur rapport d'étape", D("15000.00"), progress_id),
            ScheduleLine("Solde", D("25000.00"), final_id, balance.id, is_balance=True)])
        rows = tranches(project.id)
        assert [(t.label, t.amount, t.condition_report_id, t.state) for t in rows] == [
            ("Avance à la signature", D("20000.00"), None, "planned"),
            ("Solde", D("25000.00"), final_id, "planned"),
            ("Tranche sur rapport d'étape", D("15000.00"), progress_id, "planned")]
        # a tranche left out is cancelled (its event says who removed it)
        payments.edit_schedule(project, staff_user, [
            ScheduleLine("Avance", D("35000.00"), None, rows[0].id),
            ScheduleLine("Solde", D("25000.00"), final_id, rows[1].id, is_balance=True)])
        assert [t.state for t in tranches(project.id)] == ["planned", "planned", "cancelled"]
        pay(tranches(project.id)[0], applicant, staff_user)
        with pytest.raises(Refused, match="déjà été effectué"):
            payments.edit_schedule(project, staff_user, [ScheduleLine("Tout", D("60000.00"))])


# --- Paying -----------------------------------------------------------------------------------

def test_a_payment_waits_for_its_report_then_adds_to_the_paid_total(in_db, staff):
    with in_db():
        project, applicant = make_project("60000.00", schedule=THREE_TRANCHES)
        staff_user = get(User, staff)
        advance, interim, _balance = tranches(project.id)
        pay(advance, applicant, staff_user, on="2026-11-02")
        assert (advance.state, advance.paid_on, advance.paid_amount) == ("paid", date(2026, 11, 2), D("24000.00"))
        assert get(Project, project.id).paid_total == D("24000.00")
        fire(interim, "request", applicant)
        with pytest.raises(WorkflowRefused, match="attend l'acceptation du rapport"):
            fire(interim, "approve", staff_user)
        accept(report(project.id, ReportKind.progress))
        fire(interim, "approve", staff_user)
        fire(interim, "pay", staff_user, data={"date": "2026-11-03"})
        assert get(Project, project.id).paid_total == D("42000.00")


def test_no_payment_request_before_the_start_or_once_the_project_stopped(in_db, staff):
    with in_db():
        project, applicant = make_project()
        advance = tranches(project.id)[0]
        project.starts_on = None
        with pytest.raises(WorkflowRefused, match="pas encore démarré"):
            fire(advance, "request", applicant)
        project.starts_on, project.lapsed_on = paris_today(), paris_today()
        with pytest.raises(WorkflowRefused, match="plus en cours"):
            fire(advance, "request", applicant)


def test_within_grant_counts_what_is_due_once_known(in_db, staff):
    with in_db():
        project, applicant = make_project("60000.00")
        advance = tranches(project.id)[0]
        project.due_amount = D("29999.99")
        ctx = GuardContext(row=advance, actor=get(User, staff), trigger="approve")
        assert "au-delà de ce qui est dû" in GUARDS["within_grant"](ctx)
        project.due_amount = D("30000.00")
        assert GUARDS["within_grant"](ctx) is None


def test_the_conditional_update_and_the_check_refuse_more_than_granted(in_db):
    with in_db():
        project, _applicant = make_project("1000.00")
        first = tranches(project.id)[0]
        payments.add_to_paid_total(first, D("999.99"))
        with pytest.raises(Refused, match="dépasserait"):
            payments.add_to_paid_total(first, D("0.02"))
        payments.add_to_paid_total(first, D("0.01"))
        assert get(Project, project.id).paid_total == D("1000.00")
        project_id = project.id
    with in_db():
        with pytest.raises(IntegrityError):  # the database refuses it too, whoever writes
            db.session.execute(update(Project).where(Project.id == project_id)
                               .values(paid_total=Project.paid_total + D("0.01")))
        db.rollback()


def test_two_staff_paying_at_once_never_pay_more_than_granted(app, in_db, staff):
    """Two tranches of 600 € on a 1 000 € grant (the schedule edited wrongly, say), both approved:
    both staff pass the guard having read 0 € paid, then pay at the same moment. One payment only."""
    with in_db():
        project, applicant = make_project("1000.00", schedule=[{"label": "A", "share": 60, "on": "agreement"},
                                                               {"label": "B", "share": 40, "on": "agreement"}])
        first, second = tranches(project.id)
        second.amount = D("600.00")  # past the check of a schedule edit: only payment guards stay
        for tranche in (first, second):
            fire(tranche, "request", applicant)
            fire(tranche, "approve", get(User, staff))
        project_id, ids = project.id, [first.id, second.id]
    barrier = threading.Barrier(2)
    real_guard = GUARDS["within_grant"]

    def guard_then_wait(ctx):  # both read 0 € paid before either writes
        reason = real_guard(ctx)
        barrier.wait(timeout=20)
        return reason

    outcomes = [None, None]

    def pay_one(index):
        with app.test_request_context():
            try:
                fire(get(Tranche, ids[index]), "pay", get(User, staff), data={"date": "2026-11-30"})
                db.commit()
                outcomes[index] = "paid"
            except Refused as error:
                db.rollback()
                outcomes[index] = error.message

    GUARDS["within_grant"] = guard_then_wait
    try:
        threads = [threading.Thread(target=pay_one, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        GUARDS["within_grant"] = real_guard
    assert outcomes.count("paid") == 1, outcomes
    assert any("dépasserait" in str(outcome) for outcome in outcomes), outcomes
    with in_db():
        assert get(Project, project_id).paid_total == D("600.00")
        assert sorted(t.state for t in tranches(project_id)) == ["approved", "paid"]


# --- For the project page ---------------------------------------------------------------------

def test_tranche_rows_cost_the_same_for_two_or_three_tranches(app, in_db, staff):
    with in_db():
        two, applicant_two = make_project("60000.00")
        three, applicant_three = make_project("60000.00", schedule=THREE_TRANCHES)
        ids = two.id, three.id
    counts = []
    for project_id in ids:
        with app.test_request_context():
            project, user = get(Project, project_id), get(User, staff)
            with count_statements(app) as statements:
                rows = payments.tranche_rows(project, user)
            counts.append(len(statements))
            assert [row.tranche.project_id for row in rows] == [project_id] * len(rows)
            assert rows[-1].report.kind == ReportKind.final
            assert any(action.trigger == "request" for action in rows[0].actions)
    assert counts[0] == counts[1]


# --- Pages ------------------------------------------------------------------------------------

def test_the_tranche_page_shows_its_condition_and_actions_to_the_project_only(in_db, client, login, staff):
    with in_db():
        project, applicant = make_project("60000.00")
        advance, balance = tranches(project.id)
        outsider = create_user()
        ids = advance.id, balance.id, applicant.id, outsider.id
    advance_id, balance_id, applicant_id, outsider_id = ids
    with in_db():
        applicant, outsider = get(User, applicant_id), get(User, outsider_id)
    login(applicant)
    page = text(client.get(f"/projects/tranches/{balance_id}"))
    assert "Versement « Solde »" in page and "30 000,00" in page
    assert "Bilan final (dû le" in page and "Demander le versement" in page
    response = client.post(f"/workflow/payment/{advance_id}/request", data={"request-expected_version": "1"})
    assert response.status_code == 302
    with in_db():
        assert get(Tranche, advance_id).state == "requested"
    client.post("/logout")
    login(outsider)
    assert client.get(f"/projects/tranches/{balance_id}").status_code == 404


def test_staff_edit_the_schedule_through_its_page(in_db, client, login, staff):
    with in_db():
        project, applicant = make_project("60000.00")
        advance, balance = tranches(project.id)
        final_id = report(project.id, ReportKind.final).id
        ids = project.id, advance.id, balance.id, applicant.id
    project_id, advance_id, balance_id, applicant_id = ids
    with in_db():
        applicant, staff_user = get(User, applicant_id), get(User, staff)
    login(applicant)
    assert client.get(f"/projects/{project_id}/schedule").status_code == 403
    client.post("/logout")
    login(staff_user)
    page = text(client.get(f"/projects/{project_id}/schedule"))
    assert "60 000,00" in page and 'value="Avance"' in page
    form = {"lines-0-tranche_id": str(advance_id), "lines-0-label": "Avance", "lines-0-amount": "20 000,00",
            "lines-0-condition": "", "lines-1-tranche_id": str(balance_id), "lines-1-label": "Solde",
            "lines-1-amount": "30 000,00", "lines-1-condition": str(final_id), "lines-1-is_balance": "y",
            "lines-2-label": "Tranche intermédiaire", "lines-2-amount": "9 999,99", "lines-2-condition": ""}
    refused = client.post(f"/projects/{project_id}/schedule", data=form)
    assert refused.status_code == 422 and "totaliser la subvention" in text(refused)
    response = client.post(f"/projects/{project_id}/schedule", data={**form, "lines-2-amount": "10 000,00"})
    assert response.status_code == 302
    with in_db():
        assert [(t.label, t.amount, t.is_balance) for t in tranches(project_id)] == [
            ("Avance", D("20000.00"), False), ("Solde", D("30000.00"), True),
            ("Tranche intermédiaire", D("10000.00"), False)]


def test_staff_record_a_clawback_received_from_the_project_page(in_db, client, login, staff):
    with in_db():
        project, applicant = make_project("60000.00")
        staff_user = get(User, staff)
        pay(tranches(project.id)[0], applicant, staff_user)
        payments.release_unpaid(project, staff_user, "Abandon du projet.", D("0"))
        [clawback] = payments.clawbacks_of(project)
        ids = project.id, clawback.id, applicant.id
    project_id, clawback_id, applicant_id = ids
    with in_db():
        applicant, staff_user = get(User, applicant_id), get(User, staff)
    login(applicant)
    assert client.post(f"/projects/clawbacks/{clawback_id}/received",
                       data={f"clawback-{clawback_id}-received_on": "2026-11-30"}).status_code == 403
    client.post("/logout")
    login(staff_user)
    page = text(client.get(f"/projects/{project_id}"))
    assert "Reversements demandés" in page and "30 000,00" in page and "Abandon du projet." in page
    assert f'action="/projects/clawbacks/{clawback_id}/received"' in page
    response = client.post(f"/projects/clawbacks/{clawback_id}/received",
                           data={f"clawback-{clawback_id}-received_on": paris_today().isoformat()})
    assert response.status_code == 302
    with in_db():
        assert get(Clawback, clawback_id).received_on == paris_today()


def test_the_audit_log_stays_valid_with_payments_and_system_cancellations(app, in_db, staff):
    with in_db():
        project, applicant = make_project("60000.00", schedule=THREE_TRANCHES)
        staff_user = get(User, staff)
        pay(tranches(project.id)[0], applicant, staff_user)
        fire(tranches(project.id)[1], "request", applicant)
        payments.release_unpaid(project, staff_user, "Abandon du projet.", D("0"))
        # the factory set the application's state without events: back to its initial state, so
        # that the log checks the tranches' events (paid, requested then cancelled by the system)
        get(Application, project.application_id).state = "draft"
    result = app.test_cli_runner().invoke(args=["fsi", "audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "valide" in result.output
