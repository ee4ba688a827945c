"""Staff tracking (« Pilotage ») in the browser: the dashboard's key figures and charts, the
Panorama des territoires (by EPCI, metropolises first, and by theme), a territory's page, an
organisation's record with its 36-month ceiling and the grants obtained outside FSI, the search
whose filter lives in the URL, and its XLSX and CSV exports opened as a spreadsheet user would."""
import re
from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import expect

from fsi.i18n import today
from tests.e2e.helpers import choice, expect_error_next_to, go_to_menu, money_re, t, typed, visit
from tests.e2e.steps.funding import visit_tall

#: the exports' columns, in French whatever the reader's language
METROPOLISES = {"Métropole d'Aix-Marseille-Provence", "Métropole Toulon Provence Méditerranée",
                "Métropole Nice Côte d'Azur"}


# --- Reading the pages ---------------------------------------------------------------------------

def euros(text):
    """« 222 800 € », « 60 000,00 € » → Decimal; « — » (nothing) → None."""
    digits = re.sub(r"[^\d,\-]", "", text).replace(",", ".")
    return Decimal(digits) if digits not in ("", "-") else None


def count(text):
    return int(re.sub(r"\D", "", text))


def read_table(table):
    """(headers, rows) of a table as the reader sees it: the texts of the header row (without the
    sort arrow), then of each body row's cells (row header included), in order."""
    expect(table).to_be_visible()
    return table.evaluate(
        """table => [
             Array.from(table.tHead.rows[0].cells, cell => cell.innerText.replace(/[▲▼]/g, "").trim()),
             Array.from(table.tBodies[0].rows, row => Array.from(row.cells, cell => cell.innerText.trim()))
           ]""")


def column(headers, rows, name):
    position = headers.index(name)
    return [row[position] for row in rows]


def key_figure(page, term):
    """The value of a key figure (its first line; the second one says what it counts)."""
    figures = page.locator("dl.figures")
    value = figures.locator("dt", has_text=re.compile(rf"^{re.escape(t(term))}$")).locator("xpath=following-sibling::dd[1]")
    return value.evaluate("dd => dd.firstChild.textContent.trim()")


def expect_chart_with_its_table(page, title):
    """A chart drawn on the server: an image named by its title (SVG <title>) with a description,
    one bar per row of the table beside it, which has the same caption. Returns that table's
    rows {label: value}."""
    image = page.get_by_role("img", name=title, exact=True)
    expect(image).to_be_visible()
    expect(image.locator("desc")).not_to_be_empty()
    table = page.get_by_role("table", name=title, exact=True)
    _headers, rows = read_table(table)
    assert rows, f"the table beside « {title} » is empty"
    expect(image.locator("rect")).to_have_count(len(rows))
    return {row[0]: row[1] for row in rows}


# --- The dashboard -------------------------------------------------------------------------------

def open_dashboard(page):
    """« Pilotage » in the menu: the dashboard, for every call and year."""
    page.goto("/")
    go_to_menu(page, "Pilotage")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Tableau de bord"))
    expect(page.locator("p.scope")).to_contain_text(t("Tous les appels"))


def dashboard_figures_add_up(page):
    """The key figures agree with the tables below them: the applications by state, the amounts
    by call and by year; the chart of the states draws the table beside it. Returns the figures
    the other pages are checked against."""
    applications = count(key_figure(page, "Dossiers"))
    granted = euros(key_figure(page, "Montant accordé"))
    paid = euros(key_figure(page, "Versé"))
    assert applications > 0 and granted > 0 and paid > 0, "the demo has applications, grants and payments"

    by_state = expect_chart_with_its_table(page, t("Dossiers par état"))
    assert sum(count(value) for value in by_state.values()) == applications
    assert choice("Subvention accordée") in by_state and choice("Brouillon") in by_state

    for caption in (t("Chiffres par appel à projets"), t("Chiffres par année d'ouverture de l'appel")):
        headers, rows = read_table(page.get_by_role("table", name=caption, exact=True))
        assert sum(count(cell) for cell in column(headers, rows, t("Dossiers"))) == applications, caption
        assert sum(euros(cell) for cell in column(headers, rows, t("Accordé"))) == granted, caption
        assert sum(euros(cell) for cell in column(headers, rows, t("Versé"))) == paid, caption
    # the granted amounts by call, drawn and listed beside the chart
    by_call = expect_chart_with_its_table(page, t("Montant accordé par appel"))
    assert sum(euros(value) for value in by_call.values()) == granted
    return {"applications": applications, "granted": granted, "paid": paid, "by_call": by_call}


def dashboard_picture(page):
    """The README's picture: the scope, the key figures and the chart of the states."""
    visit_tall(page, "tracking-dashboard", doc="09-tableau-de-bord", height=1350)


def scope_to_a_call(page, title, by_call):
    """A row of the « par appel » table scopes the page to its call: the address says so (a link
    to share), and the key figures are that call's."""
    table = page.get_by_role("table", name=t("Chiffres par appel à projets"), exact=True)
    headers, rows = read_table(table)
    row = next(row for row in rows if row[0] == title)
    table.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(re.compile(r"[?&]call=\d+"))
    expect(page.locator("p.scope")).to_contain_text(t("Appel : %(title)s", title=title))
    expect(page.get_by_label(t("Appel"), exact=True)).to_have_value(re.compile(r"^\d+$"))
    assert count(key_figure(page, "Dossiers")) == count(row[headers.index(t("Dossiers"))])
    assert euros(key_figure(page, "Montant accordé")) == euros(by_call[title])
    visit(page, "tracking-dashboard-call")
    page.get_by_role("link", name=t("Voir tous les appels et toutes les années")).click()
    expect(page.locator("p.scope")).to_contain_text(t("Tous les appels"))


# --- The Panorama des territoires ----------------------------------------------------------------

def open_panorama(page, view):
    """From the dashboard, the panorama, then one of its tabs (« Par EPCI et métropole »...)."""
    page.get_by_role("main").get_by_role("link", name=t("Panorama des territoires"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Panorama des territoires"))
    choose_view(page, view)


def choose_view(page, view):
    tabs = page.get_by_role("navigation", name=t("Regrouper les chiffres"))
    tabs.get_by_role("link", name=t(view), exact=True).click()
    expect(tabs.get_by_role("link", name=t(view), exact=True)).to_have_attribute("aria-current", "page")
    return main_table(page, view)


def main_table(page, view):
    return page.get_by_role("table", name=f"{t('Chiffres')} · {t(view)}", exact=True)


def first_column_labels(rows):
    """The row headers' first line (an EPCI's kind and department are on the second)."""
    return [row[0].splitlines()[0].strip() for row in rows]


def panorama_by_epci(page, dashboard):
    """The three metropolises come first; every application counts once; what the charts draw is
    the table's granted and paid amounts. Returns the table."""
    view = "Par EPCI et métropole"
    table = main_table(page, view)
    headers, rows = read_table(table)
    labels = first_column_labels(rows)
    assert set(labels[:3]) == METROPOLISES, labels[:4]
    assert labels[3] not in METROPOLISES
    for row in rows[:3]:
        assert "métropole" in row[0].splitlines()[-1], row[0]
    assert sum(count(cell) for cell in column(headers, rows, t("Dossiers"))) == dashboard["applications"]
    granted = dict(zip(labels, column(headers, rows, t("Accordé")), strict=True))
    paid = dict(zip(labels, column(headers, rows, t("Versé")), strict=True))
    assert sum(euros(value) for value in granted.values()) == dashboard["granted"]

    drawn_granted = expect_chart_with_its_table(page, t("Montant accordé — %(view)s", view=t(view)))
    drawn_paid = expect_chart_with_its_table(page, t("Montant versé — %(view)s", view=t(view)))
    expect_chart_with_its_table(page, t("Projets financés — %(view)s", view=t(view)))
    assert list(drawn_granted)[:3] == labels[:3], "the charts list the metropolises first too"
    for label, value in drawn_granted.items():
        assert euros(value) == euros(granted[label]), label
    for label, value in drawn_paid.items():
        assert euros(value) == euros(paid[label]), label
    assert any(euros(granted[name]) > 0 for name in METROPOLISES), "a metropolis has grants in the demo"
    visit(page, "tracking-panorama-epci")
    return headers, rows


def printed_panorama_hides_the_menu_and_filters(page):
    """Printed for the board: no menu, no tabs, no filters, no buttons; the title, the scope,
    the tables and the charts stay."""
    navigation = page.get_by_role("navigation", name=t("Navigation principale"))
    filters = page.get_by_role("form", name=t("Choisir le périmètre"))
    expect(navigation).to_be_visible()
    expect(filters).to_be_visible()
    page.emulate_media(media="print")
    try:
        expect(navigation).to_be_hidden()
        expect(filters).to_be_hidden()
        expect(page.locator(".panorama-tabs")).to_be_hidden()
        expect(page.get_by_role("button", name=t("Afficher"))).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator("p.scope").first).to_be_visible()
        expect(page.get_by_role("img").first).to_be_visible()
        expect(page.get_by_role("table").first).to_be_visible()
    finally:
        page.emulate_media(media="screen")
    expect(navigation).to_be_visible()


def panorama_by_theme(page, dashboard):
    """By theme: every application under its theme (or « Non renseigné »), so the rows add up to
    the dashboard's figures; a chart and its table per amount."""
    view = "Par thème"
    table = choose_view(page, view)
    headers, rows = read_table(table)
    labels = first_column_labels(rows)
    assert choice("Vieillissement et handicap") in labels
    assert sum(count(cell) for cell in column(headers, rows, t("Dossiers"))) == dashboard["applications"]
    assert sum(euros(cell) for cell in column(headers, rows, t("Accordé"))) == dashboard["granted"]
    assert sum(euros(cell) for cell in column(headers, rows, t("Versé"))) == dashboard["paid"]
    drawn = expect_chart_with_its_table(page, t("Montant accordé — %(view)s", view=t(view)))
    granted = dict(zip(labels, column(headers, rows, t("Accordé")), strict=True))
    for label, value in drawn.items():
        assert euros(value) == euros(granted[label]), label
    expect_chart_with_its_table(page, t("Montant versé — %(view)s", view=t(view)))
    page.get_by_role("heading", level=1).evaluate("heading => heading.scrollIntoView({block: 'start'})")
    visit_tall(page, "tracking-panorama-theme", doc="10-panorama", height=1400)


def territory_lists_its_projects(page, name, epci_rows):
    """A metropolis's row of the EPCI view opens its page: the same figures, and the grants
    decided there, whose amounts add up to its « Montant accordé »."""
    headers, rows = epci_rows
    row = next(row for row in rows if row[0].splitlines()[0].strip() == name)
    choose_view(page, "Par EPCI et métropole")
    main_table(page, "Par EPCI et métropole").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("p.scope").first).to_contain_text("métropole")
    assert count(key_figure(page, "Dossiers")) == count(row[headers.index(t("Dossiers"))])
    granted = euros(key_figure(page, "Montant accordé"))
    assert granted == euros(row[headers.index(t("Accordé"))]) and granted > 0
    projects = page.get_by_role("table", name=t("Subventions décidées sur ce territoire"), exact=True)
    project_headers, project_rows = read_table(projects)
    assert project_rows, "the metropolis's grants are listed"
    assert sum(euros(cell) for cell in column(project_headers, project_rows, t("Accordé"))) == granted
    for reference in column(project_headers, project_rows, t("Référence")):
        expect(projects.get_by_role("link", name=reference, exact=True)).to_have_attribute(
            "href", re.compile(r"/applications/\d+"))
    visit(page, "tracking-territory")
    return project_rows


# --- Organisation records ------------------------------------------------------------------------

def open_organisation(page, name):
    """The organisations list (from the dashboard), then the organisation's record. Returns the
    list's row for it."""
    open_dashboard(page)
    page.get_by_role("main").get_by_role("link", name=t("Suivi des organismes"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Suivi des organismes"))
    table = page.get_by_role("table", name=t("Organismes et leurs totaux"), exact=True)
    headers, rows = read_table(table)
    visit(page, "tracking-organisations")
    row = dict(zip(headers, next(row for row in rows if row[0].startswith(name)), strict=True))
    table.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    return row


def ceiling(page):
    """The ceiling's figures, in euros: {"ceiling", "fsi", "outside", "used", "left"}."""
    section = page.get_by_role("region", name=re.compile(t("Plafond sur %(months)s mois", months=r"\d+")))
    expect(section).to_be_visible()
    return {key: euros(section.locator(f"#ceiling-{key if key != 'ceiling' else 'amount'}").inner_text())
            for key in ("ceiling", "fsi", "outside", "used", "left")}


def outside_grants(page):
    return page.get_by_role("table", name=t("Subventions obtenues hors FSI"), exact=True)


def record_shows_its_ceiling_and_outside_grants(page, listed, grants):
    """The 36-month ceiling counts the grants obtained outside FSI that the demo entered: the
    figures add up, and the list's « Hors FSI » total is the same."""
    expect(page.get_by_role("region", name=t("Plafond sur %(months)s mois", months=36))).to_be_visible()
    figures = ceiling(page)
    outside = sum(Decimal(amount) for _funder, amount in grants)
    assert figures["outside"] == outside == euros(listed[t("Hors FSI")])
    assert figures["used"] == figures["fsi"] + figures["outside"]
    assert figures["left"] == figures["ceiling"] - figures["used"]
    table = outside_grants(page)
    for funder, amount in grants:
        expect(table.get_by_role("row", name=re.compile(re.escape(funder)))).to_contain_text(re.compile(money_re(amount)))
    return figures


def fill_outside_grant(page, funder, label, amount, granted_on):
    page.get_by_label(t("Financeur"), exact=True).fill(funder)
    page.get_by_label(t("Objet"), exact=True).fill(label)
    page.get_by_label(t("Montant accordé (€)"), exact=True).fill(amount)
    page.get_by_label(t("Accordée le"), exact=True).fill(granted_on.isoformat())
    page.get_by_role("region", name=t("Subventions obtenues hors FSI")).get_by_role(
        "button", name=t("Enregistrer"), exact=True).click()


def hostile_outside_grant_is_refused(page, funder, label, before):
    """A negative amount (which would free room under the ceiling) is refused next to the field,
    what was typed stays, and the ceiling has not moved."""
    fill_outside_grant(page, funder, label, "-" + typed("15000"), today() - timedelta(days=30))
    expect_error_next_to(page.get_by_label(t("Montant accordé (€)"), exact=True),
                         t("La valeur ne peut pas être négative."))
    expect(page.get_by_label(t("Financeur"), exact=True)).to_have_value(funder)
    expect(page.get_by_label(t("Objet"), exact=True)).to_have_value(label)
    assert ceiling(page) == before
    expect(outside_grants(page).get_by_role("row", name=re.compile(re.escape(funder)))).to_have_count(0)
    visit(page, "tracking-outside-grant-invalid")


def add_outside_grant(page, funder, label, amount, before):
    """A grant obtained outside FSI: it is listed, and the ceiling used grows (the ceiling left
    shrinks) by exactly its amount."""
    granted_on = today() - timedelta(days=30)
    fill_outside_grant(page, funder, label, typed(amount), granted_on)
    expect(page.get_by_text(t("Subvention hors FSI enregistrée : elle compte dans le plafond de l'organisme."))).to_be_visible()
    row = outside_grants(page).get_by_role("row", name=re.compile(re.escape(funder)))
    expect(row).to_contain_text(re.compile(money_re(amount)))
    expect(row).to_contain_text(granted_on.strftime("%d/%m/%Y"))
    after = ceiling(page)
    assert after["outside"] - before["outside"] == Decimal(amount)
    assert after["used"] - before["used"] == Decimal(amount)
    assert before["left"] - after["left"] == Decimal(amount)
    assert after["ceiling"] == before["ceiling"] and after["fsi"] == before["fsi"]
    page.get_by_role("heading", name=re.compile(t("Plafond sur %(months)s mois", months=r"\d+"))).evaluate(
        "heading => heading.scrollIntoView({block: 'start'})")
    visit_tall(page, "tracking-organisation", doc="11-organisme", height=1150)
    return after
