"""POST /api/v1/{payments,reports}/{id}/transitions as each role around a funded project: the
lead requests payments and submits reports, staff act on them, the others are refused."""
from dataclasses import dataclass

import pytest
from sqlmodel import select

from fsi.accounts.models import Organisation, Role, User
from fsi.applications.models import Application, CoApplicant
from fsi.funding.models import Report, Tranche
from tests.api.transitions_setup import body, error_of, snapshot
from tests.factories import create_organisation, create_user
from tests.funding.conftest import start_funded

# --- Payments and reports, as each role -----------------------------------------------------------

@dataclass
class FundedCast:
    project_id: int
    tranche_id: int
    report_id: int
    lead: User
    other: User
    co: User
    reviewer: User
    conflicted: User
    staff: User
    admin: User


@pytest.fixture
def funded_cast(in_db):
    """A started project of ``lead``'s organisation, co-carried by ``co``'s; its first tranche and
    first report."""
    with in_db() as session:
        funded = start_funded()
        application = session.get(Application, funded.application_id)
        co_org = create_organisation()
        session.add(CoApplicant(application_id=application.id, organisation_id=co_org.id))
        organisation = application.organisation_id
        tranche = session.exec(select(Tranche).where(Tranche.project_id == funded.project_id)
                               .order_by(Tranche.position)).first()
        report = session.exec(select(Report).where(Report.project_id == funded.project_id)
                              .order_by(Report.due_on)).first()
        return FundedCast(
            funded.project_id, tranche.id, report.id, lead=session.get(User, funded.applicant_id),
            other=create_user(Role.applicant), co=create_user(Role.applicant, organisation=co_org),
            reviewer=create_user(Role.reviewer),
            conflicted=create_user(Role.reviewer, organisation=session.get(Organisation, organisation)),
            staff=session.get(User, funded.staff_id), admin=create_user(Role.admin))


FUNDED_ROLES = ("lead", "other", "co", "reviewer", "conflicted", "staff", "admin")
REQUEST_PAYMENT = {"lead": 200, "other": 404, "co": 403, "reviewer": 404, "conflicted": 404, "staff": 200,
                   "admin": 200}


@pytest.mark.parametrize("role", FUNDED_ROLES)
def test_requesting_a_payment_as_each_role(role, funded_cast, api_client, in_db):
    before = snapshot(in_db, Tranche, funded_cast.tranche_id, "payment")
    response = api_client(getattr(funded_cast, role)).post(
        f"/api/v1/payments/{funded_cast.tranche_id}/transitions", json=body("request", before[1]))
    assert response.status_code == REQUEST_PAYMENT[role], response.get_data(as_text=True)
    after = snapshot(in_db, Tranche, funded_cast.tranche_id, "payment")
    if response.status_code == 200:
        assert response.get_json()["state"] == "requested" == after[0]
        assert after[1:3] == (before[1] + 1, before[2] + 1)
    else:
        assert after == before


SUBMIT_REPORT = {"lead": 422, "other": 404, "co": 403, "reviewer": 404, "conflicted": 404, "staff": 403,
                 "admin": 403}


@pytest.mark.parametrize("role", FUNDED_ROLES)
def test_submitting_an_incomplete_report_as_each_role(role, funded_cast, api_client, in_db):
    before = snapshot(in_db, Report, funded_cast.report_id, "report")
    response = api_client(getattr(funded_cast, role)).post(
        f"/api/v1/reports/{funded_cast.report_id}/transitions", json=body("submit", before[1]))
    assert response.status_code == SUBMIT_REPORT[role], response.get_data(as_text=True)
    assert snapshot(in_db, Report, funded_cast.report_id, "report") == before
    if role == "lead":
        details = error_of(response)["details"]
        assert details == [f"Décrivez les réalisations de la période. Indiquez la valeur mesurée de chaque "
                           f"indicateur. Indiquez la dépense réelle de chaque ligne du budget (0 si rien n'a été "
                           f"dépensé). (Compléter le rapport: http://fsi.test/projects/reports/"
                           f"{funded_cast.report_id})"]


def test_the_lead_submits_a_complete_report(funded_cast, api_client, in_db):
    with in_db() as session:
        report = session.get(Report, funded_cast.report_id)
        report.achievements = "Chantier livré."
        report.indicators = [dict(item, measured="12") for item in report.indicators]
        report.spending = [dict(line, actual="1000.00") for line in report.spending]
        version = report.version
    response = api_client(funded_cast.lead).post(f"/api/v1/reports/{funded_cast.report_id}/transitions",
                                                 json=body("submit", version, "Voici notre rapport."))
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert (answer["workflow"], answer["state"], answer["version"]) == ("report", "submitted", version + 1)
    assert answer["event"]["comment"] == "Voici notre rapport."
    with in_db() as session:
        assert session.get(Report, funded_cast.report_id).submitted_at is not None  # the definition's effect ran
