"""Spreadsheet exports: every CSV and XLSX FSI offers is written here, so that a text from the data
never runs as a formula in the spreadsheet that opens it.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel or LibreOffice (``=HYPERLINK(...)``, ``-2+3``, ``@SUM(A1)``): such a text gets a leading
single quote (OWASP's "CSV injection" advice). Numbers FSI computes (amounts, scores, negative
z-scores) are passed as numbers and written as numbers, with the decimal comma a spreadsheet set to
French reads, beside the semicolon separator.

An XLSX (``xlsx_response``) has typed cells: numbers and amounts as numbers (euros formatted), days
as dates, texts as texts — neutralised the same way, and always stored as text: openpyxl would
otherwise write a text starting with ``=`` as a formula. Characters an XLSX cannot hold (control
characters) are dropped, and a text is cut at Excel's 32 767 characters.
"""
import csv
import io
from datetime import date, datetime
from decimal import Decimal

from flask import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """The text of one cell: nothing for None, a number with a decimal comma for a number, any
    other value as text, neutralised when a spreadsheet would take it for a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int: written as a word, never as 1 or 0
        return neutralised(str(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):  # never an exponent: 1E+2 is not a number to a spreadsheet
        return format(Decimal(str(value)), "f").replace(".", ",")
    return neutralised(str(value))


def neutralised(text):
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(rows, filename):
    """A CSV download of ``rows`` (the header first), semicolon-separated, with a BOM so that Excel
    reads it as UTF-8."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([cell(value) for value in row] for row in rows)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


#: an XLSX column's kind (``formats``): its cells' number format; "text" is any other value
XLSX_FORMATS = {"money": '#,##0.00\\ "€"', "date": "DD/MM/YYYY", "int": "0", "decimal": "#,##0.00"}
XLSX_TEXT_MAX = 32767
XLSX_WIDTH_MIN, XLSX_WIDTH_MAX = 8, 60
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_value(value):
    """What one XLSX cell holds: numbers and dates as they are (a date and time as its date), any
    other value as neutralised text without the characters an XLSX cannot hold."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date | Decimal | float) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return neutralised(ILLEGAL_CHARACTERS_RE.sub("", str(value)))[:XLSX_TEXT_MAX]


def xlsx_response(header, rows, filename, formats=(), title="Export"):
    """An XLSX download: ``header`` (French column titles) in bold on a frozen first row, then
    ``rows``; ``formats`` names each column's kind (XLSX_FORMATS: "money", "date", "int",
    "decimal"; anything else is text), and each column is as wide as its longest cell allows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([xlsx_value(heading) for heading in header])
    for heading in sheet[1]:
        heading.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    formats = list(formats)
    widths = [len(str(heading)) for heading in header]
    for values in rows:
        row = [xlsx_value(value) for value in values]
        sheet.append(row)
        widths += [0] * (len(row) - len(widths))
        for position, (cell_, value) in enumerate(zip(sheet[sheet.max_row], row, strict=False)):
            kind = formats[position] if position < len(formats) else "text"
            if isinstance(value, str):
                cell_.data_type = "s"  # never a formula, whatever openpyxl guessed
            elif value is not None and kind in XLSX_FORMATS:
                cell_.number_format = XLSX_FORMATS[kind]
            widths[position] = max(widths[position], _width(value))
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = min(max(width + 2, XLSX_WIDTH_MIN), XLSX_WIDTH_MAX)
    out = io.BytesIO()
    workbook.save(out)
    return Response(out.getvalue(), mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _width(value):
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    if isinstance(value, Decimal | int | float):
        return len(f"{value:,.2f}") + 2
    return max((len(line) for line in value.splitlines()), default=0)
