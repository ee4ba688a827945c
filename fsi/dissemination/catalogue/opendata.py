"""Open data: the published sheets and the granted subsidies, as rows for CSV and records for JSON,
under the deployment's licence (OPEN_DATA_LICENCE, OPEN_DATA_LICENCE_URL). Nothing else: a grant
is its organisation, call, kind, amount, year and territory; a sheet, what its public page shows
except its contact's e-mail."""
from flask import current_app
from sqlalchemy import Integer, cast, extract, func, select

from fsi.accounts.models import ORGANISATION_KIND_LABELS, Organisation, Territory
from fsi.applications.models import Application
from fsi.calls.models import Call, Theme
from fsi.calls.rules import kind_label
from fsi.db import db
from fsi.dissemination.catalogue.queries import published_sheets
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.funding.models import Project
from fsi.mail.render import absolute_url
from fsi.workflow import tagged

SHEET_FIELDS = ("slug", "title", "summary", "organisation", "organisation_kind", "theme", "kind", "call",
                "department_code", "department", "epci", "grant", "year", "published_at", "url")
GRANT_FIELDS = ("reference", "title", "organisation", "organisation_siren", "organisation_kind", "call", "kind",
                "amount", "year", "department_code", "department", "epci")


def licence():
    config = current_app.config
    return {"name": config["OPEN_DATA_LICENCE"], "url": config["OPEN_DATA_LICENCE_URL"]}


def _amount(value):
    return None if value is None else f"{value:.2f}"


def _common(row):
    """The organisation, call, kind and territory of a joined row."""
    return {
        "organisation": row.Organisation.name,
        "organisation_kind": ORGANISATION_KIND_LABELS[row.Organisation.kind]["fr"],
        "call": row.Call.title,
        "kind": kind_label(row.Application.kind)["fr"] if row.Application.kind else "",
        "department_code": row.Territory.department_code if row.Territory else row.Organisation.department_code,
        "department": row.Territory.department if row.Territory else "",
        "epci": row.Territory.epci if row.Territory else "",
    }


def _joined(statement):
    return (statement.join(Organisation, Organisation.id == Application.organisation_id)
            .join(Call, Call.id == Application.call_id)
            .outerjoin(Territory, Territory.id == Application.territory_id)
            .outerjoin(Project, Project.application_id == Application.id))


def sheet_records():
    """The published sheets, newest first."""
    statement = _joined(
        published_sheets().add_columns(Application, Organisation, Call, Territory, Project, Theme)
        .join(Application, Application.id == PracticeSheet.application_id)
    ).outerjoin(Theme, Theme.id == Application.theme_id).order_by(PracticeSheet.published_at.desc(),
                                                                  PracticeSheet.id.desc())
    records = []
    for row in db.session.execute(statement):
        sheet, application = row.PracticeSheet, row.Application
        granted = row.Project.granted_amount if row.Project else application.approved_amount
        decided = application.approved_at or sheet.published_at
        records.append({
            "slug": sheet.slug, "title": sheet.title, "summary": sheet.summary, **_common(row),
            "theme": row.Theme.label_fr if row.Theme else "",
            "grant": _amount(granted), "year": decided.year if decided else None,
            "published_at": sheet.published_at.isoformat() if sheet.published_at else None,
            "url": absolute_url("catalogue.sheet", slug=sheet.slug),
        })
    return records


def grant_records():
    """The granted subsidies (applications awarded a grant), by year then reference."""
    year = cast(extract("year", Application.approved_at), Integer)
    statement = _joined(
        select(Application, Organisation, Call, Territory, Project)
        .where(Application.state.in_(tagged("application", "awarded")))
    ).order_by(year.desc(), Application.reference)
    records = []
    for row in db.session.execute(statement):
        application = row.Application
        amount = row.Project.granted_amount if row.Project else application.approved_amount
        records.append({
            "reference": application.reference, "title": application.title, **_common(row),
            "organisation_siren": row.Organisation.siren,
            "amount": _amount(amount),
            "year": application.approved_at.year if application.approved_at else None,
        })
    return records


def as_rows(records, fields):
    """The header, then one row per record (for fsi.exports.csv_response)."""
    return [list(fields)] + [[record[name] for name in fields] for record in records]


def as_document(records, fields):
    return {"licence": licence(), "fields": list(fields), "count": len(records),
            "data": [{name: record[name] for name in fields} for record in records]}


def key_figures():
    """The public home's figures: projects funded, amounts granted, territories (departments and
    EPCI) reached — SQL aggregates over the awarded applications."""
    amount = func.coalesce(Project.granted_amount, Application.approved_amount)
    department = func.coalesce(Territory.department_code, Organisation.department_code)
    row = db.session.execute(
        select(func.count(Application.id), func.coalesce(func.sum(amount), 0),
               func.count(func.distinct(department)), func.count(func.distinct(Application.territory_id)))
        .select_from(Application)
        .join(Organisation, Organisation.id == Application.organisation_id)
        .outerjoin(Territory, Territory.id == Application.territory_id)
        .outerjoin(Project, Project.application_id == Application.id)
        .where(Application.state.in_(tagged("application", "awarded")))
    ).one()
    published = db.session.scalar(select(func.count()).select_from(published_sheets().subquery()))
    return {"projects": row[0], "amount": row[1], "departments": row[2], "epcis": row[3], "sheets": published}
