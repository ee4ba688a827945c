"""The public endpoints (no token needed): the published practice sheets — the catalogue's search
and a sheet's public page — and the events. They read what the public pages read
(fsi.dissemination.catalogue.queries, fsi.dissemination.events.queries) and show nothing more: a
published sheet's chosen contact is its only personal data; an event's video link goes to its
registered people and staff, as on its page."""
from flask_login import current_user
from sqlmodel import select

from fsi.accounts.models import Organisation, Territory
from fsi.api.auth import token_optional
from fsi.api.blueprint import bp
from fsi.api.errors import api_abort
from fsi.api.pagination import page_of
from fsi.api.schemas.actions import label
from fsi.api.schemas.projects import money
from fsi.api.schemas.public import (
    EventItem,
    EventRef,
    EventsPage,
    EventsQuery,
    Figures,
    IndicatorValue,
    KindRef,
    ProjectRef,
    ReproductionOut,
    Sections,
    SheetContact,
    SheetDetail,
    SheetRef,
    SheetsPage,
    SheetsQuery,
    SheetSummary,
    Shown,
    TerritoryRef,
    ThemeRef,
)
from fsi.api.spec import NO_TOKEN, api, responses
from fsi.applications.budget import totals_for
from fsi.applications.models import Application
from fsi.calls.models import Call, Theme
from fsi.calls.rules import kind_label
from fsi.db import db, utcnow
from fsi.dissemination.catalogue.queries import Filters, published_sheets
from fsi.dissemination.catalogue.queries import search as catalogue_search
from fsi.dissemination.events.access import can_manage_events
from fsi.dissemination.events.models import EVENT_KIND_LABELS, Event, RegistrationStatus
from fsi.dissemination.events.queries import events_presenting, rows_for
from fsi.dissemination.sheets.access import is_public
from fsi.dissemination.sheets.display import reproductions_of
from fsi.dissemination.sheets.models import MARKDOWN_FIELDS, PracticeSheet
from fsi.dissemination.sheets.sheets import chosen_attachments, is_image
from fsi.funding.models import Project
from fsi.limits import CONTROL
from fsi.mail.render import absolute_url

TAGS = ["public"]


# --- Practice sheets ---------------------------------------------------------------------------

@bp.get("/sheets")
@token_optional
@api.validate(query=SheetsQuery, resp=responses(SheetsPage, 401, 422), tags=TAGS, security=NO_TOKEN)
def sheets(query: SheetsQuery):
    """The published practice sheets; ``q`` searches them as the public catalogue does."""
    result = catalogue_search(Filters(query=query.q.strip()), page=query.page, per_page=query.per_page)
    # the catalogue shows its last page for a page beyond it; a list of the API has none there
    found = result.sheets if result.page == query.page else []
    return SheetsPage(items=sheet_summaries(found), page=query.page, per_page=query.per_page, total=result.total)


@bp.get("/sheets/<slug>")
@token_optional
@api.validate(resp=responses(SheetDetail, 401, 404), tags=TAGS, security=NO_TOKEN)
def sheet(slug):
    """A published practice sheet: its texts, figures, contact, attachments, reproductions, events."""
    row = None
    if len(slug) <= 200 and not CONTROL.search(slug):
        row = db.session.scalar(published_sheets().where(PracticeSheet.slug == slug))
    if row is None or not is_public(row):
        api_abort(404, "not_found", "No published sheet has this slug.")
    return sheet_detail(row)


def _contexts(sheets):
    """{sheet id: (application, organisation, call, territory, project, theme)} in one statement."""
    if not sheets:
        return {}
    rows = db.session.execute(
        select(PracticeSheet.id, Application, Organisation, Call, Territory, Project, Theme)
        .join(Application, Application.id == PracticeSheet.application_id)
        .join(Organisation, Organisation.id == Application.organisation_id)
        .join(Call, Call.id == Application.call_id)
        .outerjoin(Territory, Territory.id == Application.territory_id)
        .outerjoin(Project, Project.application_id == Application.id)
        .outerjoin(Theme, Theme.id == Application.theme_id)
        .where(PracticeSheet.id.in_([sheet.id for sheet in sheets]))).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def _summary_fields(sheet, context):
    application, organisation, call, territory, project, theme = context
    granted = project.granted_amount if project else application.approved_amount
    decided = application.approved_at or sheet.published_at
    return {
        "slug": sheet.slug, "title": sheet.title, "summary": sheet.summary or "",
        "organisation": organisation.name, "call": call.title,
        "theme": ThemeRef(id=theme.id, label=label(theme.label)) if theme else None,
        "kind": KindRef(code=application.kind, label=label(kind_label(application.kind))) if application.kind
        else None,
        "territory": TerritoryRef(
            department_code=(territory.department_code if territory else organisation.department_code) or None,
            department=territory.department if territory else None, epci=territory.epci if territory else None),
        "grant": money(granted), "year": decided.year if decided else None,
        "published_at": sheet.published_at, "url": absolute_url("catalogue.sheet", slug=sheet.slug),
    }


def sheet_summaries(sheets):
    contexts = _contexts(sheets)
    return [SheetSummary(**_summary_fields(sheet, contexts[sheet.id])) for sheet in sheets]


def _text(value):
    return "" if value is None else str(value)


def sheet_detail(sheet):
    context = _contexts([sheet])[sheet.id]
    application, project = context[0], context[4]
    totals = totals_for(application)
    contact = None
    if sheet.contact_name or sheet.contact_email:
        contact = SheetContact(name=sheet.contact_name, role=sheet.contact_role, email=sheet.contact_email)
    attachments = [Shown(url=absolute_url("sheets.attachment", sheet_id=sheet.id, attachment_id=attachment.id),
                         filename=attachment.filename, image=is_image(attachment), alt_text=chosen.alt_text,
                         caption=chosen.caption)
                   for chosen, attachment in chosen_attachments([sheet.id])[sheet.id]]
    reproductions, _territories = reproductions_of(sheet.id)
    return SheetDetail(
        **_summary_fields(sheet, context),
        sections=Sections(**{name: getattr(sheet, name) or "" for name in MARKDOWN_FIELDS}),
        indicators=[IndicatorValue(label=_text(item.get("label")), target=_text(item.get("target")),
                                   measured=_text(item.get("measured")))
                    for item in (sheet.indicators or []) if isinstance(item, dict)],
        figures=Figures(total_cost=money(totals.total_incl_tax) if totals.total_incl_tax else None,
                        granted=money(project.granted_amount if project else application.approved_amount),
                        starts_on=project.starts_on if project and project.starts_on else application.start_date,
                        ends_on=project.ends_on if project and project.ends_on else application.end_date),
        contact=contact,
        attachments=attachments,
        reproductions=[ReproductionOut(organisation=row.organisation, territory=row.territory,
                                       reproduced_on=row.reproduction.reproduced_on, note=row.reproduction.note or "")
                       for row in reproductions],
        events=[EventRef(id=event.id, title=event.title, kind=event.kind.value, starts_at=event.starts_at,
                         cancelled=event.cancelled_at is not None, url=_event_url(event))
                for event in events_presenting(sheet.id)],
    )


# --- Events ------------------------------------------------------------------------------------

@bp.get("/events")
@token_optional
@api.validate(query=EventsQuery, resp=responses(EventsPage, 401, 422), tags=TAGS, security=NO_TOKEN)
def events(query: EventsQuery):
    """The events (ateliers, clubs de réflexion, webinars, visits): upcoming or past."""
    now = utcnow()
    if query.when == "past":
        statement = select(Event).where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        statement = select(Event).where(Event.ends_at > now).order_by(Event.starts_at, Event.id)
    return EventsPage(**page_of(statement, query, event_items))


def _event_url(event):
    return absolute_url("events.show", event_id=event.id, slug=event.slug)


def event_items(events):
    manage = can_manage_events(current_user)
    items = []
    for row in rows_for(events, current_user):
        event = row.event
        mine = row.mine if row.mine is not None and row.mine.status != RegistrationStatus.cancelled else None
        items.append(EventItem(
            id=event.id, kind=event.kind.value, kind_label=label(EVENT_KIND_LABELS[event.kind]), title=event.title,
            starts_at=event.starts_at, ends_at=event.ends_at, place=event.place or "",
            theme=ThemeRef(id=row.theme.id, label=label(row.theme.label)) if row.theme else None,
            description=event.description or "", capacity=event.capacity, seats_left=row.seats_left,
            waiting=row.waiting, cancelled=event.cancelled_at is not None, cancelled_at=event.cancelled_at,
            cancel_reason=event.cancel_reason or "",
            video_url=(event.video_url or None) if (mine is not None or manage) else None,
            registration=mine.status.value if mine is not None else None,
            sheets=[SheetRef(slug=sheet.slug, title=sheet.title, summary=sheet.summary or "",
                             url=absolute_url("catalogue.sheet", slug=sheet.slug)) for sheet in row.sheets],
            projects=[ProjectRef(title=application.title or "", organisation=organisation.name)
                      for application, organisation in row.projects],
            url=_event_url(event), calendar_url=absolute_url("events.ics", event_id=event.id)))
    return items
