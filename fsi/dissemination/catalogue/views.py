"""The public catalogue (no login): search, a published sheet's page, the Atom feed, the open data
and the public home page. Every view reads only what is public: published sheets (queries), granted
subsidies' public columns (opendata), upcoming events."""
import json

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from fsi.cache import kept_page
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.dissemination.catalogue import feed, opendata
from fsi.dissemination.catalogue.highlight import snippet, title
from fsi.dissemination.catalogue.queries import FACETS, Filters, published_sheets
from fsi.dissemination.catalogue.queries import search as run_search
from fsi.dissemination.events.models import EVENT_KIND_LABELS
from fsi.dissemination.events.queries import events_presenting, upcoming_events
from fsi.dissemination.sheets.access import is_public
from fsi.dissemination.sheets.display import sheet_page
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.exports import csv_response
from fsi.i18n import lazy_gettext as _l
from fsi.limits import bounded_int

bp = Blueprint("catalogue", __name__)
#: the public page of an event and the events' list (fsi.dissemination.events)
EVENT_PAGE = "events.show"
EVENT_LIST = "events.index"
#: the facets' headings, in the order of queries.FACETS
FACET_LABELS = {
    "theme": _l("Thème"),
    "axis": _l("Axe stratégique"),
    "kind": _l("Type de projet"),
    "territory": _l("Département"),
    "organisation_kind": _l("Type d'organisme"),
    "year": _l("Année"),
    "grant": _l("Subvention"),
}


@bp.route("/catalogue")
@kept_page
def search():
    filters = Filters.from_args(request.args)
    page = bounded_int(request.args.get("page")) or 1
    result = run_search(filters, page=page)
    items = [{"sheet": sheet, "title": title(sheet, filters.query), "snippet": snippet(sheet, filters.query)}
             for sheet in result.sheets]
    return render_template("dissemination/catalogue/search.html", result=result, items=items, facets=FACETS,
                           facet_labels=FACET_LABELS)


@bp.route("/catalogue/<path:slug>")  # any slug stored routes, even one with a slash
def sheet(slug):
    row = db.session.scalar(published_sheets().where(PracticeSheet.slug == slug[:200]))
    if row is None or not is_public(row):
        abort(404)
    return render_template("dissemination/catalogue/sheet.html", sheet=row, page=sheet_page(row, current_user),
                           events=events_presenting(row.id), kind_labels=EVENT_KIND_LABELS)


@bp.route("/catalogue/feed.atom")
def feed_atom():
    return Response(feed.atom(), mimetype="application/atom+xml")


@bp.route("/open-data")
def open_data():
    return render_template("dissemination/catalogue/open_data.html", licence=opendata.licence())


def _licensed(response):
    licence = opendata.licence()
    response.headers["Link"] = f'<{licence["url"]}>; rel="license"'
    return response


@bp.route("/open-data/sheets.csv")
def sheets_csv():
    rows = opendata.as_rows(opendata.sheet_records(), opendata.SHEET_FIELDS)
    return _licensed(csv_response(rows, "fsi-fiches-experience.csv"))


@bp.route("/open-data/sheets.json")
def sheets_json():
    document = opendata.as_document(opendata.sheet_records(), opendata.SHEET_FIELDS)
    return _licensed(_json(document))


@bp.route("/open-data/grants.csv")
def grants_csv():
    rows = opendata.as_rows(opendata.grant_records(), opendata.GRANT_FIELDS)
    return _licensed(csv_response(rows, "fsi-subventions.csv"))


@bp.route("/open-data/grants.json")
def grants_json():
    document = opendata.as_document(opendata.grant_records(), opendata.GRANT_FIELDS)
    return _licensed(_json(document))


def _json(document):
    return Response(json.dumps(document, ensure_ascii=False, indent=1), mimetype="application/json")


def public_home():
    """The home page of anonymous visitors: the fund, its open calls, its latest sheets, its next
    events and its key figures."""
    now = utcnow()
    calls = db.session.scalars(select(Call).where(Call.opens_at <= now, Call.closes_at > now)
                               .order_by(Call.closes_at, Call.id).limit(10)).all()
    latest = feed.latest(4)
    return render_template("dissemination/catalogue/home.html", calls=calls, latest=latest,
                           events=next_events(now), figures=opendata.key_figures(),
                           events_index=url_for(EVENT_LIST) if EVENT_LIST in current_app.view_functions else None)


def next_events(now, limit=3):
    """[(event, its public page's URL)]: the next events not cancelled."""
    events = [event for event in upcoming_events(now=now, limit=limit + 3) if event.cancelled_at is None][:limit]
    if EVENT_PAGE not in current_app.view_functions:
        return [(event, None) for event in events]
    return [(event, url_for(EVENT_PAGE, event_id=event.id, slug=event.slug)) for event in events]
