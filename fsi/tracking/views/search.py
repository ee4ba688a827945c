"""The search over applications and projects (/tracking/search) and its CSV and XLSX exports,
which take the same URL and give every matching row, all pages, in the page's order."""
from flask import render_template, request, url_for
from werkzeug.datastructures import MultiDict

from fsi.cache import kept_page
from fsi.exports import csv_response, xlsx_response
from fsi.i18n import current_language, pick, today
from fsi.tracking import search as service
from fsi.tracking.access import can_track
from fsi.web import requires

#: the exports' columns (French, whatever the reader's language) and their kinds (fsi.exports)
EXPORT_HEADER = ("Référence", "Titre", "Organisme", "Appel", "État", "Montant demandé (€)", "Montant accordé (€)",
                 "Montant versé (€)", "Territoire", "Thème", "Date de dépôt")
EXPORT_FORMATS = ("text", "text", "text", "text", "text", "money", "money", "money", "text", "text", "date")


def _kept_args():
    """The filters of this URL (page left out), as given: what every link of the page keeps."""
    return MultiDict([(key, value) for key, value in request.args.items(multi=True)
                      if key in service.PARAMS and value != ""])


def _link(endpoint="tracking.search", **changes):
    args = _kept_args()
    for key, value in changes.items():
        args.setlist(key, [] if value is None else [value])
    return url_for(endpoint, **args.to_dict(flat=False))


@requires(can_track)
@kept_page
def search():
    filters = service.parse_filters(request.args, current_language())
    page = service.search_page(filters)
    choices = service.choices(filters.organisation_id, filters.call_id)
    return render_template("tracking/search.html", filters=filters, page=page, choices=choices,
                           link=_link, labels=service.FILTER_LABELS, per_page_max=service.PER_PAGE_MAX)


def _export_rows(filters):
    labels = service.state_labels()
    for row in service.search_all(filters):
        yield (row.reference, row.title, row.organisation, row.call, pick(labels.get(row.state), "fr"),
               row.requested, row.granted, row.paid, row.territory, row.theme_fr, row.received_on)


def _filename(extension):
    return f"fsi-recherche-{today().isoformat()}.{extension}"


@requires(can_track)
def export_csv():
    filters = service.parse_filters(request.args, current_language())
    return csv_response([EXPORT_HEADER, *_export_rows(filters)], _filename("csv"))


@requires(can_track)
def export_xlsx():
    filters = service.parse_filters(request.args, current_language())
    return xlsx_response(EXPORT_HEADER, list(_export_rows(filters)), _filename("xlsx"), EXPORT_FORMATS,
                         title="Recherche")
