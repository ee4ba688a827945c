"""Spreadsheet exports: every CSV FSI offers (and any later XLSX) is written here, so that a text
from the data never runs as a formula in the spreadsheet that opens it.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel or LibreOffice (``=HYPERLINK(...)``, ``-2+3``, ``@SUM(A1)``): such a text gets a leading
single quote (OWASP's "CSV injection" advice). Numbers FSI computes (amounts, scores, negative
z-scores) are passed as numbers and written as numbers, with the decimal comma a spreadsheet set to
French reads, beside the semicolon separator.
"""
import csv
import io
from decimal import Decimal

from flask import Response

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
