"""Spreadsheet exports (fsi/exports.py): texts that a spreadsheet would run as formulas are
neutralised, FSI's own numbers are written as numbers, and no other module writes a CSV."""
import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

import fsi
from fsi.exports import cell, csv_response

PACKAGE = Path(fsi.__file__).resolve().parent


@pytest.mark.parametrize("text", ['=HYPERLINK("https://evil.example","x")', "+33 6 12", "-2+3", "@SUM(A1)",
                                  "\t=1+1", "\r=1+1"])
def test_a_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Habitat 13", "a=b", " =1", "", "2024"])
def test_other_texts_are_kept(text):
    assert cell(text) == text


@pytest.mark.parametrize(("value", "written"), [
    (Decimal("-0.52"), "-0,52"), (Decimal("1E+2"), "100"), (Decimal("12500.50"), "12500,50"),
    (-3, "-3"), (7, "7"), (-1.25, "-1,25"), (None, ""),
])
def test_numbers_stay_numbers(value, written):
    assert cell(value) == written


def test_a_bool_or_an_enum_like_value_is_text():
    assert (cell(True), cell(False)) == ("True", "False")


def test_the_response_is_a_semicolon_csv_with_a_bom(shared_app):
    with shared_app.test_request_context():
        response = csv_response([["titre", "score z"], ["=1+1", Decimal("-1.48")]], "export.csv")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="export.csv"'
    assert body.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";")) == [["titre", "score z"],
                                                                                   ["'=1+1", "-1,48"]]


def test_every_spreadsheet_export_goes_through_fsi_exports():
    writers = re.compile(r"csv\.(writer|DictWriter)\b|openpyxl|xlsxwriter")
    elsewhere = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                       if path != PACKAGE / "exports.py" and writers.search(path.read_text(encoding="utf-8")))
    assert elsewhere == []


# --- XLSX ----------------------------------------------------------------------------------------

def xlsx_sheet(response):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(response.get_data())).active


def test_an_xlsx_never_holds_a_formula_and_keeps_its_types(shared_app):
    from datetime import UTC, date, datetime

    from fsi.exports import XLSX_MIMETYPE, xlsx_response

    rows = [['=HYPERLINK("https://evil.example","x")', Decimal("12500.50"), date(2026, 11, 25), 3],
            ["@SUM(A1)", Decimal("-0.52"), datetime(2026, 11, 25, 23, 30, tzinfo=UTC), None],
            ["a\x07b\x00c", None, None, -2],
            ["x" * 40000, Decimal("1E+2"), None, 0]]
    with shared_app.test_request_context():
        response = xlsx_response(["Titre", "Montant (€)", "Le", "Nombre"], rows, "export.xlsx",
                                 ["text", "money", "date", "int"])
    sheet = xlsx_sheet(response)
    assert response.mimetype == XLSX_MIMETYPE
    assert response.headers["Content-Disposition"] == 'attachment; filename="export.xlsx"'
    assert [c.value for c in sheet[1]] == ["Titre", "Montant (€)", "Le", "Nombre"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    texts = [sheet.cell(row=r, column=1) for r in range(2, 6)]
    assert [c.data_type for c in texts] == ["s"] * 4  # never "f"
    assert [c.value for c in texts[:3]] == ["'" + rows[0][0], "'@SUM(A1)", "abc"]
    assert len(texts[3].value) == 32767
    assert [sheet.cell(row=r, column=2).value for r in range(2, 6)] == [12500.5, -0.52, None, 100]
    assert sheet.cell(row=2, column=2).number_format == '#,##0.00\\ "€"'
    assert sheet.cell(row=2, column=3).value == datetime(2026, 11, 25)  # a date cell, read back as midnight
    assert sheet.cell(row=2, column=3).is_date and sheet.cell(row=2, column=3).number_format == "DD/MM/YYYY"
    assert sheet.cell(row=3, column=3).value == datetime(2026, 11, 25)  # a date and time: its date
    assert [sheet.cell(row=r, column=4).value for r in range(2, 6)] == [3, None, -2, 0]
    assert 8 <= sheet.column_dimensions["B"].width < sheet.column_dimensions["A"].width == 60
