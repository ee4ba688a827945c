"""Filling the section forms: initial data from the application, choices from the lists."""
from types import SimpleNamespace

from sqlmodel import select

from fsi.accounts.models import Organisation, Territory
from fsi.accounts.people import organisations as organisation_candidates
from fsi.applications import budget
from fsi.applications.calculator import compute, kind_for
from fsi.applications.forms.common import options
from fsi.applications.models import CoApplicant, Milestone
from fsi.applications.sections import SECTIONS_BY_NAME
from fsi.calls.models import CallTheme, Theme
from fsi.calls.rules import call_kinds, kind_label
from fsi.db import db
from fsi.i18n import pick

BLANK_ROWS = 2


def initial_data(section, application):
    """What the section's form shows on arrival: saved values plus a few blank rows."""
    columns = SECTIONS_BY_NAME[section].columns
    data = {name: getattr(application, name) for name in columns}
    data["version"] = application.version
    if section == "organisation":
        data["co_applicants"] = list(db.session.exec(
            select(CoApplicant.organisation_id).where(CoApplicant.application_id == application.id)).all())
    elif section == "budget":
        data["cost_lines"] = [dict(category=line.category, label=line.label, amount_excl_tax=line.amount_excl_tax,
                                   amount_incl_tax=line.amount_incl_tax, eligible=line.eligible)
                              for line in budget.cost_lines(application.id)] + [{} for _ in range(BLANK_ROWS)]
        data["cofundings"] = [dict(funder=f.funder, public="1" if f.public else "0", amount=f.amount)
                              for f in budget.cofundings(application.id)] + [{} for _ in range(BLANK_ROWS)]
        data["vat_not_recoverable"] = not application.vat_recoverable
    elif section == "timeline":
        rows = db.session.exec(select(Milestone).where(Milestone.application_id == application.id)
                               .order_by(Milestone.position)).all()
        data["milestones"] = [dict(due_on=m.due_on, label=m.label) for m in rows] + [{} for _ in range(BLANK_ROWS)]
    return data


def fill_choices(section, form, application, call):
    """The form's choices; returns what else the section's page needs (the co-applicant picker)."""
    if section == "organisation":
        candidates = organisation_candidates(db.session.exec(select(Organisation).where(
            Organisation.id != application.organisation_id).order_by(Organisation.name)).all())
        form.co_applicants.choices = options((c.id, c.name) for c in candidates if not c.unavailable)
        return {"co_applicant_candidates": candidates}
    elif section == "project":
        territories = db.session.exec(select(Territory).order_by(Territory.department_code, Territory.epci)).all()
        form.territory_id.choices = options([("", "—")] + [(t.id, f"{t.department} ({t.department_code}) — {t.epci}")
                                                            for t in territories])
        form.kind.choices = options([("", "—")] + [(k.code, pick(kind_label(k.code)))
                                                    for k in call_kinds(call.id, enabled_only=True)])
        form.theme_id.choices = options([("", "—")] + [(t.id, pick(t.label)) for t in themes_for(call)])
    return {}


def themes_for(call):
    """The call's themes, or every active theme when the call names none."""
    themes = db.session.exec(select(Theme).join(CallTheme, CallTheme.theme_id == Theme.id)
                             .where(CallTheme.call_id == call.id).order_by(Theme.position)).all()
    if themes:
        return themes
    return db.session.exec(select(Theme).where(Theme.active == True).order_by(Theme.position)).all()  # noqa: E712


def budget_figures(form, application, call):
    """The calculation on the figures on screen (posted ones when the form was sent)."""
    costs = [SimpleNamespace(**row) for row in form.cost_rows()]
    funds = [SimpleNamespace(**row) for row in form.cofunding_rows()]
    totals = budget.compute_totals(costs, funds, form.values()["vat_recoverable"])
    calculation = compute(call, kind_for(call.id, application.kind), application.organisation_id,
                          totals.eligible_cost, totals.public_cofunding, exclude_id=application.id)
    calculation.totals = totals
    return calculation

