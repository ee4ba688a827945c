"""The search over applications and projects (fsi/tracking/search.py): each filter gives the rows an
independent computation over the generated dataset picks, every sort is stable (ties by id), the
pages cover the whole result once, a page costs the same statements for no row as for many, and
hostile parameters are ignored with a message, never a 5xx."""
from datetime import date
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from fsi.accounts.models import Role
from fsi.i18n import PARIS
from fsi.tracking.search import PER_PAGE_MAX, parse_filters, search_all, search_page
from tests.factories import create_user
from tests.queries import count_statements
from tests.tracking.dataset import build


def facts(data):
    """{application id: what the filters read}, computed in Python from the dataset's rows."""
    projects = {p.application_id: p for p in data.projects}
    out = {}
    for a in data.applications:
        organisation = data.organisation(a.organisation_id)
        territory_id = a.territory_id or organisation.territory_id
        project = projects.get(a.id)
        out[a.id] = dict(
            a=a, organisation=organisation, territory_id=territory_id,
            department=data.territory(territory_id).department_code if territory_id else organisation.department_code,
            axes=data.call_axes[a.call_id], project=project, paid=project.paid_total if project else None,
            received_on=a.received_at.astimezone(PARIS).date() if a.received_at else None)
    return out


def expected(data, keep):
    return sorted(i for i, f in facts(data).items() if keep(f))


def ids(filters):
    return sorted(row.id for row in search_all(filters))


def text_of(f):
    a = f["a"]
    return " ".join((a.reference, a.title, f["organisation"].name, a.summary)).lower()


# (name, args from the dataset, the rows a person would pick)
CASES = [
    ("text", lambda d: {"q": "PROJET 1"}, lambda d, f: "projet 1" in text_of(f)),
    ("text in the summary", lambda d: {"q": "résumé du projet 2"}, lambda d, f: "résumé du projet 2" in f["a"].summary.lower()),
    ("text with like wildcards", lambda d: {"q": "%_"}, lambda d, f: "%_" in text_of(f)),
    ("states", lambda d: MultiDict([("state", "approved"), ("state", "rejected")]),
     lambda d, f: f["a"].state in ("approved", "rejected")),
    ("call", lambda d: {"call": str(d.calls[1].id)}, lambda d, f: f["a"].call_id == d.calls[1].id),
    ("circuit", lambda d: {"circuit": "application_fsi"}, lambda d, f: f["a"].circuit == "application_fsi"),
    ("organisation", lambda d: {"organisation": str(d.organisations[2].id)},
     lambda d, f: f["organisation"].id == d.organisations[2].id),
    ("organisation kind", lambda d: {"organisation_kind": "esh"}, lambda d, f: f["organisation"].kind.value == "esh"),
    ("kind", lambda d: {"kind": "innovation"}, lambda d, f: f["a"].kind == "innovation"),
    ("territory (the organisation's when the form left it empty)",
     lambda d: {"territory": str(d.organisations[1].territory_id)},
     lambda d, f: f["territory_id"] == d.organisations[1].territory_id),
    ("department", lambda d: {"department": d.organisations[0].department_code},
     lambda d, f: f["department"] == d.organisations[0].department_code),
    ("theme", lambda d: {"theme": str(d.themes[1].id)}, lambda d, f: f["a"].theme_id == d.themes[1].id),
    ("axis (the call's)", lambda d: {"axis": str(d.axes[1].id)}, lambda d, f: d.axes[1].id in f["axes"]),
    ("requested amount range", lambda d: {"min_amount": "20 000", "max_amount": "60000,50"},
     lambda d, f: f["a"].requested_amount is not None
     and Decimal("20000") <= f["a"].requested_amount <= Decimal("60000.50")),
    ("granted amount at least", lambda d: {"amount": "granted", "min_amount": "30000"},
     lambda d, f: f["a"].approved_amount is not None and f["a"].approved_amount >= 30000),
    ("submitted between two Paris days", lambda d: {"submitted_from": "2025-01-15", "submitted_to": "10/02/2025"},
     lambda d, f: f["received_on"] is not None and date(2025, 1, 15) <= f["received_on"] <= date(2025, 2, 10)),
    ("funded only", lambda d: {"funded": "1"}, lambda d, f: f["project"] is not None),
    ("together", lambda d: {"funded": "1", "circuit": "application", "q": "projet"},
     lambda d, f: f["project"] is not None and f["a"].circuit == "application" and "projet" in text_of(f)),
]


def test_each_filter_gives_the_rows_an_independent_computation_picks(in_db):
    with in_db():
        data = build(n_applications=60, seed=3)
        for name, args, keep in CASES:
            filters = parse_filters(MultiDict(args(data)))
            assert filters.errors == {}, name
            wanted = expected(data, lambda f, keep=keep: keep(data, f))
            assert ids(filters) == wanted, name
        # the cases are not vacuous: each picks some rows and leaves others
        assert all(0 < len(expected(data, lambda f, keep=keep: keep(data, f))) < 60 for _n, _a, keep in CASES[3:])


def sort_key(f, key):
    a = f["a"]
    return {"reference": a.reference, "requested": a.requested_amount or 0, "granted": a.approved_amount or 0,
            "paid": f["paid"] or 0}[key]


@pytest.mark.parametrize("key", ["reference", "requested", "granted", "paid"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_sorting_is_by_the_column_then_by_id(in_db, key, order):
    with in_db():
        data = build(n_applications=40, seed=5)
        rows = search_all(parse_filters(MultiDict({"sort": key, "order": order})))
        ordered = sorted(facts(data).items(), key=lambda item: (sort_key(item[1], key), item[0]),
                         reverse=order == "desc")
        assert [row.id for row in rows] == [i for i, _f in ordered]


def test_submitted_sorts_by_date_with_never_submitted_last(in_db):
    with in_db():
        data = build(n_applications=40, seed=5)
        for order in ("asc", "desc"):
            rows = search_all(parse_filters(MultiDict({"sort": "submitted", "order": order})))
            got = [row.id for row in rows]
            dated = sorted((a.received_at, a.id) for a in data.applications if a.received_at)
            drafts = sorted(a.id for a in data.applications if a.received_at is None)
            wanted = [i for _d, i in (dated if order == "asc" else reversed(dated))]
            assert got == wanted + (drafts if order == "asc" else drafts[::-1])


@pytest.mark.parametrize("key", ["title", "organisation", "state"])
def test_text_sorts_break_ties_by_id(in_db, key):
    with in_db():
        build(n_applications=40, seed=5)
        ascending = search_all(parse_filters(MultiDict({"sort": key, "order": "asc"})))
        descending = search_all(parse_filters(MultiDict({"sort": key, "order": "desc"})))
    value = {"title": lambda r: r.title, "organisation": lambda r: r.organisation, "state": lambda r: r.state}[key]
    for rows, step in ((ascending, 1), (descending, -1)):
        groups = {}
        for row in rows:
            groups.setdefault(value(row), []).append(row.id)
        assert all(group == sorted(group)[::step] for group in groups.values())
        assert len(groups) > 1
    assert [row.id for row in descending] != [row.id for row in ascending]


def test_pages_cover_the_result_once_and_beyond_the_last_is_the_last(in_db):
    with in_db():
        build(n_applications=40, seed=2)
        whole = [row.id for row in search_all(parse_filters(MultiDict({"sort": "requested"})))]
        seen = []
        first = search_page(parse_filters(MultiDict({"sort": "requested", "per_page": "7"})))
        for number in range(1, first.pages + 1):
            page = search_page(parse_filters(MultiDict({"sort": "requested", "per_page": "7", "page": str(number)})))
            seen += [row.id for row in page.rows]
        beyond = search_page(parse_filters(MultiDict({"sort": "requested", "per_page": "7", "page": "999"})))
    assert (first.total, first.pages, first.per_page) == (40, 6, 7)
    assert seen == whole
    assert (beyond.page, [row.id for row in beyond.rows]) == (6, whole[35:])


@pytest.mark.parametrize(("value", "shown"), [("1000", PER_PAGE_MAX), ("0", 50), ("-3", 50), ("1e3", 50), ("", 50),
                                              ("25", 25)])
def test_the_page_size_is_bounded(value, shown, app):
    filters = parse_filters(MultiDict({"per_page": value}))
    assert filters.per_page == shown
    assert ("per_page" in filters.errors) == (value not in ("", "25"))


HOSTILE = ["\x00", "a\x1bb", "9" * 400, "-1", "1e9", "٣", "<b>x</b>", "%", "'; drop table application;--", "=1+1",
           "99999999999", "0", "9999-12-31", "0001-01-01", "2025-02-30", "\u202e", " "]
PARAMS = ["q", "state", "call", "circuit", "organisation", "organisation_kind", "kind", "territory", "department",
          "theme", "axis", "amount", "min_amount", "max_amount", "submitted_from", "submitted_to", "funded", "sort",
          "order", "per_page", "page"]


@pytest.fixture
def staff_client(client, in_db, login):
    with in_db():
        data = build(n_applications=12, seed=4)
        user = create_user(role=Role.staff)
    login(user)
    client.data = data
    return client


@pytest.mark.parametrize("param", PARAMS)
def test_hostile_values_in_any_parameter_are_never_a_server_error(staff_client, param):
    for value in HOSTILE:
        for path in ("/tracking/search", "/tracking/search.csv"):
            response = staff_client.get(path, query_string={param: value})
            assert response.status_code == 200, (param, value, path, response.status_code)


@pytest.mark.parametrize(("args", "field", "message"), [
    ({"call": "abc"}, "call", "Choisissez une valeur dans la liste."),
    ({"state": "nope"}, "state", "Un état demandé n'existe pas : il est ignoré."),
    ({"min_amount": "douze"}, "min_amount", "Saisissez un montant en chiffres"),
    ({"max_amount": "-5"}, "max_amount", "Saisissez un montant entre 0 et 9 999 999 999,99 €."),
    ({"submitted_from": "9999-01-01"}, "submitted_from", "Saisissez une date entre 2000 et 2100."),
    ({"submitted_to": "demain"}, "submitted_to", "Saisissez une date comme 25/11/2026."),
    ({"q": "a\x00b"}, "q", "caractère invisible"),
    ({"q": "x" * 300}, "q", "200 caractères au plus"),
    ({"min_amount": "50", "max_amount": "10"}, "max_amount", "inférieur au minimum"),
])
def test_an_unreadable_filter_is_ignored_and_named(staff_client, args, field, message):
    response = staff_client.get("/tracking/search", query_string=args)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Certains filtres ont été ignorés" in html
    assert f'href="#f-{field}"' in html
    assert message in html.replace("&#39;", "'")


def test_the_page_lists_in_french_and_english_and_keeps_the_filters_in_its_links(staff_client):
    data = staff_client.data
    first = min(data.applications, key=lambda a: a.reference)
    response = staff_client.get("/tracking/search", query_string={"q": "projet", "per_page": "5", "sort": "reference",
                                                                   "order": "asc"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rechercher des dossiers et des projets" in html
    assert f'href="/applications/{first.id}"' in html or first.reference in html
    assert "q=projet" in html and "per_page=5" in html and "page=2" in html  # the next page keeps the filter
    assert "/tracking/search.xlsx?" in html and "/tracking/search.csv?" in html
    assert "12 dossiers" in html
    staff_client.post("/language", data={"lang": "en"})
    english = staff_client.get("/tracking/search", query_string={"min_amount": "1,000.50"})
    assert english.status_code == 200
    assert 'lang="en"' in english.get_data(as_text=True)
    assert "Certains filtres" not in english.get_data(as_text=True)  # an English amount is read the English way


def test_a_page_costs_the_same_statements_for_no_row_as_for_many(app, staff_client):
    staff_client.get("/tracking/search")
    with count_statements(app) as none:
        assert "GEN-" not in staff_client.get("/tracking/search", query_string={"q": "zzz-nothing"}).get_data(as_text=True)
    with count_statements(app) as many:
        assert staff_client.get("/tracking/search", query_string={"per_page": "100"}).get_data(as_text=True).count("GEN-") >= 12
    assert len(none) == len(many)
