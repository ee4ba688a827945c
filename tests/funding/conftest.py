"""Shared helpers of the funding tests: a granted application and its project started through
the real workflow (the agreement recorded and signed, or started without one), so that its
reports (fsi.funding.reports) and payment schedule (fsi.funding.payments) exist."""
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from werkzeug.datastructures import FileStorage

from fsi.accounts.models import Role
from fsi.db import db, utcnow
from fsi.funding import projects
from fsi.workflow.service import fire
from tests.factories import create_application, create_open_call, create_user, fill_application

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def pdf(name="convention.pdf"):
    return FileStorage(io.BytesIO(PDF), filename=name)


@dataclass
class Funded:
    """Ids (safe across sessions) of a started project and the people around it."""

    project_id: int
    application_id: int
    call_id: int
    applicant_id: int
    staff_id: int


def open_granted(granted="60000.00", state="approved", applicant=None, staff=None, **call_kw):
    """An approved application (its amount granted) with its project opened, as the award does.
    Returns (project, application, applicant, staff)."""
    call = create_open_call(**call_kw)
    applicant = applicant or create_user(role=Role.applicant)
    staff = staff or create_user(role=Role.staff)
    application = create_application(call=call, state=state, organisation_id=applicant.organisation_id,
                                     approved_amount=Decimal(granted), approved_at=utcnow())
    fill_application(application, costs=("100000.00",), requested=granted)
    project = projects.open_project(application)
    return project, application, applicant, staff


def start_funded(granted="60000.00", starts_on=date(2026, 1, 5), ends_on=None, **call_kw):
    """A granted project started through the workflow: with its signed agreement above the call's
    threshold (on ``starts_on``, until ``ends_on`` or the call's maximum duration), else without."""
    project, application, applicant, staff = open_granted(granted, **call_kw)
    if project.agreement_required:
        ends_on = ends_on or projects.add_months(starts_on, projects.call_of(project).max_duration_months)
        projects.record_agreement(project, staff, starts_on, pdf(), starts_on, ends_on)
        fire(application, "sign_agreement", staff, data={"date": starts_on})
    else:
        fire(application, "start_without_agreement", staff)
    db.session.flush()
    return Funded(project.id, application.id, application.call_id, applicant.id, staff.id)


@pytest.fixture
def funded(in_db):
    """``funded(granted="60000.00", **call_kw)`` -> Funded: a started project, committed."""

    def make(granted="60000.00", **kw):
        with in_db():
            return start_funded(granted, **kw)

    return make


@pytest.fixture
def staff(in_db):
    """A staff member's id (the money tests act as them)."""
    with in_db():
        return create_user(role=Role.staff).id
