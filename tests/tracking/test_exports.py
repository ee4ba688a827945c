"""The search's exports (/tracking/search.csv and .xlsx): the same URL as the page, every matching
row (all pages) in the page's order, French headers, typed XLSX cells, texts never formulas."""
import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from werkzeug.datastructures import MultiDict

from fsi.accounts.models import Role
from fsi.db import db
from fsi.tracking.search import parse_filters, search_all
from fsi.tracking.views.search import EXPORT_HEADER
from tests.factories import create_user
from tests.tracking.dataset import build

ARGS = {"funded": "1", "sort": "paid", "order": "desc", "per_page": "3", "page": "2"}


@pytest.fixture
def exported(client, in_db, login):
    """The dataset (one title a spreadsheet would run), a staff member signed in, and the rows the
    search gives for ARGS (all pages)."""
    with in_db():
        data = build(n_applications=40, seed=7)
        hostile = next(a for a in data.applications if any(p.application_id == a.id for p in data.projects))
        hostile.title = '=HYPERLINK("https://evil.example","clic")'
        db.session.add(hostile)
        db.session.flush()
        rows = search_all(parse_filters(MultiDict(ARGS)))
        user = create_user(role=Role.staff)
    login(user)
    assert len(rows) > 3  # more than the page the URL names: the export gives them all
    return rows


def test_the_csv_matches_the_search_row_for_row(client, exported):
    response = client.get("/tracking/search.csv", query_string=ARGS)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert body.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert lines[0] == list(EXPORT_HEADER)
    assert [line[0] for line in lines[1:]] == [row.reference for row in exported]
    for line, row in zip(lines[1:], exported, strict=True):
        assert line[2] == row.organisation and line[3] == row.call
        assert line[7] == format(row.paid, "f").replace(".", ",")
        assert line[10] == (row.received_on.isoformat() if row.received_on else "")
    assert "'=HYPERLINK(\"https://evil.example\",\"clic\")" in [line[1] for line in lines]


def test_the_xlsx_matches_the_search_row_for_row_with_typed_cells(client, exported):
    response = client.get("/tracking/search.xlsx", query_string=ARGS)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert [c.value for c in sheet[1]] == list(EXPORT_HEADER)
    assert sheet.freeze_panes == "A2"
    lines = list(sheet.iter_rows(min_row=2))
    assert [line[0].value for line in lines] == [row.reference for row in exported]
    for line, row in zip(lines, exported, strict=True):
        assert line[4].value and line[4].data_type == "s"  # the state's French label
        for cell, amount in zip(line[5:8], (row.requested, row.granted, row.paid), strict=True):
            assert cell.value == (None if amount is None else pytest.approx(float(amount)))
            assert amount is None or (cell.data_type == "n" and "€" in cell.number_format)
        if row.received_on:
            assert line[10].is_date and line[10].value == datetime.combine(row.received_on, datetime.min.time())
    titles = [line[1] for line in lines]
    assert all(cell.data_type == "s" for cell in titles)
    assert "'=HYPERLINK(\"https://evil.example\",\"clic\")" in [cell.value for cell in titles]
    assert sum(row.paid for row in exported) == sum(Decimal(str(line[7].value)) for line in lines)
