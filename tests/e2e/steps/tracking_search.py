"""The staff search in the browser: a filtered list whose address is shareable, and its XLSX and CSV
exports read back with openpyxl and the csv module, cell for cell against the list."""
import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.helpers import choice, t
from tests.e2e.steps.funding import visit_tall
from tests.e2e.steps.tracking import count, euros, open_dashboard, read_table

EXPORT_HEADER = ["Référence", "Titre", "Organisme", "Appel", "État", "Montant demandé (€)", "Montant accordé (€)",
                 "Montant versé (€)", "Territoire", "Thème", "Date de dépôt"]
AMOUNT_COLUMNS = ("Montant demandé (€)", "Montant accordé (€)", "Montant versé (€)")


# --- Search and exports --------------------------------------------------------------------------

def results_table(page):
    return page.get_by_role("table", name=t("Dossiers correspondant à la recherche"), exact=True)


def results(page):
    headers, rows = read_table(results_table(page))
    return headers, [row for row in rows if len(row) == len(headers)]


def search_with_filters(page, text, states):
    """From the dashboard, the search: a text and states chosen in the form; the address carries
    the filter. Returns (the address, its rows)."""
    open_dashboard(page)
    page.get_by_role("main").get_by_role("link", name=t("Rechercher des dossiers"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Rechercher des dossiers et des projets"))
    status = page.get_by_role("status").filter(has_text=re.compile(r"\d+ dossiers?"))
    total = count(status.inner_text())
    page.get_by_label(t("Texte"), exact=True).fill(text)
    page.get_by_label(t("États"), exact=True).select_option(label=[choice(state) for state in states])
    page.get_by_role("button", name=t("Rechercher"), exact=True).click()
    page.wait_for_url(re.compile(rf"[?&]q={re.escape(text)}"))
    assert page.url.count("state=") == len(states), page.url
    headers, rows = results(page)
    assert 0 < len(rows) < total, "the filter keeps some applications, not all"
    expect(status).to_have_text(re.compile(rf"^{len(rows)} dossiers?$"))
    for row in rows:
        assert row[headers.index(t("État"))] in {choice(state) for state in states}, row
    expect(page.get_by_label(t("Texte"), exact=True)).to_have_value(text)
    # The README's picture shows the results and the export buttons, below the (long) form.
    page.get_by_role("button", name=t("Rechercher"), exact=True).evaluate(
        "button => button.scrollIntoView({block: 'start'})")
    visit_tall(page, "tracking-search", doc="12-recherche", height=1000)
    return page.url, headers, rows


def shared_address_gives_the_same_rows(page, url, rows):
    """The address is the filter: reloaded, or opened in another tab of the same person, it gives
    the same rows in the same order."""
    page.reload()
    assert results(page)[1] == rows
    other = page.context.new_page()
    try:
        other.goto(url)
        assert results(other)[1] == rows
        expect(other.get_by_label(t("Texte"), exact=True)).to_have_value(re.compile(r".+"))
    finally:
        other.close()


def download(page, link_name):
    with page.expect_download() as info:
        page.get_by_role("link", name=t(link_name), exact=True).click()
    done = info.value
    assert done.failure() is None
    with open(done.path(), "rb") as file:
        return done.suggested_filename, file.read()


def expected_cells(headers, row):
    """What the export must say of a row of the page: its texts, and its amounts and date."""
    def pick(name):
        return row[headers.index(t(name))]
    return {"reference": pick("Référence"), "organisation": pick("Organisme"), "state": pick("État"),
            "amounts": [pick("Demandé"), pick("Accordé"), pick("Versé")], "submitted": pick("Déposé le")}


def shown_day(text):
    """« 30/11/2026 » → date (or None for « — »)."""
    found = re.search(r"(\d{2})/(\d{2})/(\d{4})", text)
    return date(int(found[3]), int(found[2]), int(found[1])) if found else None


def amount_or_none(text):
    return None if text.strip() in ("", "—") else euros(text)


def xlsx_matches_the_list(page, headers, rows):
    """The XLSX: French headers in bold on a frozen row, amounts typed as numbers in euros, days
    as dates, and the list's rows in the list's order."""
    filename, content = download(page, "Exporter en XLSX")
    assert filename.endswith(".xlsx"), filename
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]] == EXPORT_HEADER
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    data = list(sheet.iter_rows(min_row=2))
    assert len(data) == len(rows)
    position = {name: EXPORT_HEADER.index(name) for name in EXPORT_HEADER}
    for cells, row in zip(data, rows, strict=True):
        expected = expected_cells(headers, row)
        assert cells[position["Référence"]].value == expected["reference"]
        assert cells[position["Organisme"]].value == expected["organisation"]
        assert cells[position["État"]].value == expected["state"]
        for name, shown_amount in zip(AMOUNT_COLUMNS, expected["amounts"], strict=True):
            value = cells[position[name]]
            if amount_or_none(shown_amount) is None:
                assert value.value is None, (name, value.value)
                continue
            assert isinstance(value.value, int | float), (name, value.value)
            assert "€" in value.number_format, value.number_format
            assert Decimal(str(value.value)) == amount_or_none(shown_amount), (name, value.value, shown_amount)
        submitted = cells[position["Date de dépôt"]]
        assert isinstance(submitted.value, datetime | date), submitted.value
        assert submitted.is_date and "YY" in submitted.number_format.upper()
        day = submitted.value.date() if isinstance(submitted.value, datetime) else submitted.value
        assert day == shown_day(expected["submitted"])
    # columns as wide as their texts: the titles' column is wider than the references'
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def csv_matches_the_list(page, headers, rows):
    """The CSV: UTF-8 with a BOM, semicolons, French headers, amounts with a decimal comma, and
    the list's rows in the list's order."""
    filename, content = download(page, "Exporter en CSV")
    assert filename.endswith(".csv"), filename
    assert content.startswith(b"\xef\xbb\xbf"), "a BOM, so that Excel reads UTF-8"
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == EXPORT_HEADER
    assert len(lines) - 1 == len(rows)
    position = {name: EXPORT_HEADER.index(name) for name in EXPORT_HEADER}
    for line, row in zip(lines[1:], rows, strict=True):
        expected = expected_cells(headers, row)
        assert line[position["Référence"]] == expected["reference"]
        assert line[position["Organisme"]] == expected["organisation"]
        assert line[position["État"]] == expected["state"]
        for name, shown_amount in zip(AMOUNT_COLUMNS, expected["amounts"], strict=True):
            amount = amount_or_none(shown_amount)
            assert line[position[name]] == ("" if amount is None else f"{amount:.2f}".replace(".", ",")), name
        assert line[position["Date de dépôt"]] == shown_day(expected["submitted"]).isoformat()

