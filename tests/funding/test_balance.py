"""The balance recomputed from the final report, releases and clawbacks to the cent, and what the
envelope and the organisation's ceiling count once a project lives."""
from datetime import timedelta

import pytest

from fsi.accounts.models import User
from fsi.applications.calculator import awarded_within, kind_for
from fsi.applications.models import Application
from fsi.db import utcnow
from fsi.errors import Refused
from fsi.funding import payment_flow, payments
from fsi.funding.models import Project, ReportKind
from fsi.i18n import today as paris_today
from fsi.review.envelope import awarded_total
from fsi.workflow.registry import GuardContext
from fsi.workflow.service import fire
from tests.factories import create_application, create_open_call
from tests.funding.money import (
    THREE_TRANCHES,
    D,
    final_spending,
    get,
    make_project,
    pay,
    report,
    tranches,
)

# --- The balance, releases, clawbacks ---------------------------------------------------------

def test_the_balance_is_recomputed_from_actual_eligible_spending_to_the_cent(in_db, staff):
    with in_db():
        project, applicant = make_project("60000.00")  # modernisation: 40 %, cap 100 000 €
        advance, balance = tranches(project.id)
        pay(advance, applicant, get(User, staff))
        final = report(project.id, ReportKind.final)
        final.spending = final_spending(("100000.01", True), ("20000.02", True), ("9999.99", False))
        due = payments.recompute_balance(project, final)
        # 40 % × 120 000,03 = 48 000,012 → 48 000,01 (rounded down)
        assert due == D("48000.01") == get(Project, project.id).due_amount
        terms = dict(project.due_terms)
        assert D(terms.pop("rate")) == D("0.40")
        assert terms == {"granted": "60000.00", "actual_eligible": "120000.03", "by_rate": "48000.01",
                         "cap": "100000.00", "due": "48000.01", "report_id": final.id, "kind": "modernisation"}
        assert (balance.amount, balance.state) == (D("18000.01"), "planned")
        assert payments.clawbacks_of(project) == []


def test_the_kind_cap_and_the_grant_bound_what_is_due(in_db):
    with in_db():
        project, _applicant = make_project("60000.00")
        final = report(project.id, ReportKind.final)
        final.spending = final_spending(("1000000.00", True))
        assert payments.recompute_balance(project, final) == D("60000.00")  # never more than granted
        application = get(Application, project.application_id)
        kind_for(application.call_id, "modernisation").cap = D("45000.50")
        assert payments.recompute_balance(project, final) == D("45000.50")
        assert project.due_terms["cap"] == "45000.50"


def test_less_spent_than_already_paid_cancels_the_balance_and_claws_back(in_db, staff):
    with in_db():
        project, applicant = make_project("60000.00")
        advance, balance = tranches(project.id)
        pay(advance, applicant, get(User, staff))
        final = report(project.id, ReportKind.final)
        final.spending = final_spending(("70000.05", True))
        assert payments.recompute_balance(project, final) == D("28000.02")
        assert balance.state == "cancelled"
        [clawback] = payments.clawbacks_of(project)
        assert clawback.amount == D("1999.98")
        assert "Bilan final" in clawback.reason
        payments.recompute_balance(project, final)  # again: nothing asked twice
        assert [c.amount for c in payments.clawbacks_of(project)] == [D("1999.98")]


def test_release_cancels_what_is_unpaid_and_claws_back_beyond_what_is_still_due(in_db, staff):
    with in_db():
        project, applicant = make_project("60000.00", schedule=THREE_TRANCHES)
        staff_user = get(User, staff)
        advance, interim, balance = tranches(project.id)
        pay(advance, applicant, staff_user)  # 24 000 €
        fire(interim, "request", applicant)
        due = payments.release_unpaid(project, staff_user, "Abandon du projet.", D("10000.50"))
        assert due == D("10000.50") == project.due_amount
        assert [t.state for t in tranches(project.id)] == ["paid", "cancelled", "cancelled"]
        [clawback] = payments.clawbacks_of(project)
        assert (clawback.amount, clawback.reason) == (D("13999.50"), "Abandon du projet.")


def test_release_never_records_more_than_granted_nor_less_than_nothing(in_db, staff):
    with in_db():
        project, _applicant = make_project("60000.00")
        assert payments.release_unpaid(project, get(User, staff), "Renoncement.", D("-5")) == D("0.00")
        assert payments.release_unpaid(project, get(User, staff), "Renoncement.", D("99999")) == D("60000.00")
        assert payments.clawbacks_of(project) == []


def test_a_clawback_is_received_once_then_the_file_may_close(in_db, staff):
    with in_db():
        project, applicant = make_project("60000.00")
        staff_user = get(User, staff)
        advance, _balance = tranches(project.id)
        pay(advance, applicant, staff_user)
        application = get(Application, project.application_id)
        ctx = GuardContext(row=application, actor=staff_user, trigger="close")
        assert "restent à effectuer" in payment_flow.nothing_left_to_pay(ctx)
        payments.release_unpaid(project, staff_user, "Abandon.", D("0"))
        [clawback] = payments.clawbacks_of(project)
        assert "restent à effectuer" in payment_flow.nothing_left_to_pay(ctx)  # the money is not back yet
        with pytest.raises(Refused, match="futur"):
            payments.record_clawback_received(clawback, staff_user, paris_today() + timedelta(days=1))
        payments.record_clawback_received(clawback, staff_user, paris_today())
        assert clawback.received_recorded_by_id == staff_user.id
        with pytest.raises(Refused, match="déjà"):
            payments.record_clawback_received(clawback, staff_user, paris_today())
        assert payment_flow.nothing_left_to_pay(ctx) is None


# --- Envelope and ceiling ---------------------------------------------------------------------

def committed(project):
    application = get(Application, project.application_id)
    return awarded_total(application.call_id), awarded_within(application.organisation_id, 36)


def test_a_reduced_grant_returns_the_difference_to_the_envelope_and_the_ceiling(in_db, staff):
    with in_db():
        project, applicant = make_project("60000.00")
        assert committed(project) == (D("60000.00"), D("60000.00"))
        pay(tranches(project.id)[0], applicant, get(User, staff))
        final = report(project.id, ReportKind.final)
        final.spending = final_spending(("120000.03", True))
        payments.recompute_balance(project, final)
        assert committed(project) == (D("48000.01"), D("48000.01"))
        final.spending = final_spending(("70000.05", True))  # less than the advance: 28 000,02 due
        payments.recompute_balance(project, final)
        assert committed(project) == (D("30000.00"), D("30000.00"))  # the advance is out until paid back
        payments.record_clawback_received(payments.clawbacks_of(project)[0], get(User, staff), paris_today())
        assert committed(project) == (D("28000.02"), D("28000.02"))


@pytest.mark.parametrize("trigger", ["abandon", "renounce"])
def test_a_stopped_project_gives_back_what_it_no_longer_commits(in_db, staff, trigger):
    with in_db():
        project, applicant = make_project("60000.00")
        staff_user = get(User, staff)
        pay(tranches(project.id)[0], applicant, staff_user)  # 30 000 € paid
        application = get(Application, project.application_id)
        application.state = {"abandon": "abandoned", "renounce": "renounced"}[trigger]
        # stopped with nothing recorded yet: what was paid
        assert committed(project) == (D("30000.00"), D("30000.00"))
        payments.release_unpaid(project, staff_user, "Arrêt.", D("12000.34"))
        assert committed(project) == (D("30000.00"), D("30000.00"))  # until the clawback comes back
        payments.record_clawback_received(payments.clawbacks_of(project)[0], staff_user, paris_today())
        assert committed(project) == (D("12000.34"), D("12000.34"))


def test_an_abandoned_grant_without_project_still_counts_nothing(in_db):
    with in_db():
        application = create_application(call=create_open_call(), state="abandoned",
                                         approved_amount=D("8000.00"), approved_at=utcnow())
        assert awarded_total(application.call_id) == 0
        assert awarded_within(application.organisation_id, 36) == 0
