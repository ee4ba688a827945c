"""An applicant of a housing body fills the application form over two visits, attaches a PDF,
is told what is missing, completes and submits."""
import re

from playwright.sync_api import expect

from tests.e2e.helpers import expect_error_next_to, go_to_menu, visit

PROJECT_TITLE = "Conciergerie numérique pour les résidences seniors"
SAVED = "Section enregistrée."
STALE = "modifiées entre-temps"


def tiny_pdf():
    """A valid one-page PDF (header, catalog, pages, page, xref with exact offsets)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def save_section(page):
    page.get_by_role("button", name="Enregistrer la section").click()
    expect(page.get_by_text(SAVED)).to_be_visible()


def open_section(page, title):
    page.get_by_role("navigation", name="Sections du dossier").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def start_draft(page, call_title):
    """From the calls page to a new draft; returns (its address, its reference)."""
    go_to_menu(page, "Appels à projets")
    visit(page, "calls-applicant")
    page.get_by_role("link", name=call_title).click()
    page.get_by_role("button", name="Créer un dossier de candidature").click()
    flash = page.get_by_text(re.compile(r"Le brouillon FSI-\d{4}-\d+ est créé"))
    expect(flash).to_be_visible()
    reference = re.search(r"FSI-\d{4}-\d+", flash.inner_text()).group(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Porteur et contact")
    return re.sub(r"/section/.*$", "", page.url), reference


def fill_first_visit(page):
    """Contact and project sections; the rest is left for another day."""
    page.get_by_label("Personne à contacter").fill("Camille Martin")
    page.get_by_label("Fonction").fill("Responsable innovation sociale")
    page.get_by_label("Adresse e-mail").fill("camille.martin@habitat-marseille.example")
    page.get_by_label("Téléphone").fill("04 91 00 00 00")
    save_section(page)
    visit(page, "application-contact")

    open_section(page, "Projet")
    page.get_by_label("Titre du projet").fill(PROJECT_TITLE)
    page.get_by_label("Résumé").fill("Un service de conciergerie et d'accompagnement numérique pour les locataires âgés.")
    page.get_by_label("Description du projet").fill("Permanences hebdomadaires, tablettes prêtées, ateliers.")
    page.get_by_label("En quoi le projet est-il innovant ?").fill("Des locataires volontaires formés comme relais.")
    page.get_by_label("Locataires et personnels concernés").fill("420 locataires de plus de 70 ans, 12 gardiens.")
    page.get_by_label("Territoire (département et EPCI)").select_option(
        label="Bouches-du-Rhône (13) — Métropole d'Aix-Marseille-Provence")
    page.get_by_label("Type de projet").select_option(label="Projet d'innovation")
    page.get_by_label("Thème").select_option(label="Vieillissement et handicap")
    save_section(page)
    visit(page, "application-project")


def draft_was_kept(page, reference):
    """Second visit: the draft is in "Mes dossiers" with what was typed the first time."""
    go_to_menu(page, "Mes dossiers")
    row = page.get_by_role("row", name=re.compile(reference))
    expect(row).to_contain_text(PROJECT_TITLE)
    visit(page, "my-applications")
    row.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROJECT_TITLE)
    visit(page, "application-draft")
    page.get_by_role("navigation", name="Sections du dossier").get_by_role("link", name="Projet").click()
    expect(page.get_by_label("Titre du projet")).to_have_value(PROJECT_TITLE)
    expect(page.get_by_label("Personne à contacter")).to_have_count(0)


def fill_budget_lines(page):
    page.get_by_label("Catégorie").nth(0).select_option(label="Développements numériques")
    page.get_by_label("Libellé").nth(0).fill("Application de conciergerie")
    page.get_by_label("Montant HT (€)").nth(0).fill("40 000")
    page.get_by_label("Montant TTC (€)").nth(0).fill("48 000")
    page.get_by_label("Catégorie").nth(1).select_option(label="Évaluation")
    page.get_by_label("Libellé").nth(1).fill("Évaluation par un laboratoire")
    page.get_by_label("Montant HT (€)").nth(1).fill("20 000")
    page.get_by_label("Montant TTC (€)").nth(1).fill("24 000")
    page.get_by_label("Financeur").nth(0).fill("Région Sud")
    page.get_by_label("Nature").nth(0).select_option(label="Public")
    page.get_by_label("Montant (€)", exact=True).nth(0).fill("10 000")


def invalid_budget_is_refused_next_to_the_field(page):
    """Words instead of an amount, then more than the calculator allows: French messages on the
    field, and nothing typed is lost."""
    open_section(page, "Budget")
    fill_budget_lines(page)
    requested = page.get_by_label("Montant de subvention demandé (€)")
    requested.fill("vingt mille")
    page.get_by_role("button", name="Enregistrer la section").click()
    expect_error_next_to(page.get_by_label("Montant de subvention demandé (€)"), "Saisissez un montant en chiffres")
    expect(page.get_by_label("Libellé").nth(0)).to_have_value("Application de conciergerie")
    visit(page, "budget-invalid")

    page.get_by_label("Montant de subvention demandé (€)").fill("45 000")
    page.get_by_role("button", name="Enregistrer la section").click()
    expect_error_next_to(page.get_by_label("Montant de subvention demandé (€)"),
                         "dépasse la subvention maximale permise")


def budget_within_the_calculator(page):
    """The calculator explains the maximum (50 % of 60 000 €); the applicant asks for less."""
    calculator = page.locator("#calculator")
    expect(calculator).to_contain_text("30 000,00")
    page.get_by_label("Montant de subvention demandé (€)").fill("25 000")
    save_section(page)
    expect(page.locator("#calculator")).to_contain_text("30 000,00")
    # The README's picture shows the totals and the calculator, not the top of the form.
    page.get_by_role("heading", name="Totaux").evaluate("heading => heading.scrollIntoView({block: 'start'})")
    visit(page, "budget-saved", doc="03-budget-calculateur")


def blocked_submission_lists_what_is_missing(page, application_url):
    page.goto(application_url)
    page.get_by_role("button", name="Déposer le dossier", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ne peut pas encore être déposé")
    summary = page.get_by_role("alert")
    for missing in ("Indiquez la date de début.", "Décrivez les résultats attendus.",
                    "Pièce manquante : Délibération du conseil d'administration."):
        expect(summary.get_by_role("link", name=missing)).to_be_visible()
    visit(page, "submission-blocked", doc="04-depot-bloque")
    # Each problem links to its field.
    summary.get_by_role("link", name="Indiquez la date de début.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendrier")
    expect(page).to_have_url(re.compile(r"#start_date$"))


def complete_timeline_and_results(page):
    page.get_by_label("Date de début").fill("2027-01-04")
    page.get_by_label("Date de fin").fill("2028-06-30")
    page.get_by_label("Date", exact=True).nth(0).fill("2027-06-30")
    page.get_by_label("Étape", exact=True).nth(0).fill("Premières permanences dans trois résidences")
    save_section(page)
    visit(page, "timeline-saved")
    open_section(page, "Résultats et évaluation")
    page.get_by_label("Résultats attendus").fill("Moins d'isolement, démarches en ligne faites par les locataires.")
    page.get_by_label("Indicateurs d'évaluation").fill("Nombre de locataires accompagnés ; enquête avant/après.")
    save_section(page)


def attach_pdf(page):
    open_section(page, "Pièces jointes")
    page.get_by_label("Pièce", exact=True).select_option(label="Délibération du conseil d'administration")
    page.get_by_label("Fichier (PDF, ODT, ODS, DOCX, XLSX, PNG ou JPEG)").set_input_files(
        {"name": "deliberation-ca.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()})
    page.get_by_role("button", name="Joindre").click()
    expect(page.get_by_text("La pièce est jointe.")).to_be_visible()
    expect(page.get_by_role("link", name="deliberation-ca.pdf")).to_be_visible()
    visit(page, "attachment-added")


def submit(page, application_url, reference):
    page.goto(application_url)
    page.get_by_role("button", name="Déposer le dossier", exact=True).click()
    expect(page.get_by_text(f"Le dossier {reference} est déposé")).to_be_visible()
    expect(page.get_by_role("button", name="Déposer le dossier", exact=True)).to_have_count(0)
    visit(page, "application-submitted")


def same_section_saved_from_two_tabs(page, application_url):
    """Two tabs of one browser on the same section: the second save is refused, nothing lost."""
    first = page
    second = page.context.new_page()
    for tab in (first, second):
        tab.goto(application_url + "/section/results")
    first.get_by_label("Indicateurs d'évaluation").fill("Version de l'onglet 1")
    save_section(first)
    second.get_by_label("Indicateurs d'évaluation").fill("Version de l'onglet 2")
    second.get_by_role("button", name="Enregistrer la section").click()
    expect(second.get_by_role("alert").filter(has_text=STALE).first).to_be_visible()
    expect(second.get_by_label("Indicateurs d'évaluation")).to_have_value("Version de l'onglet 2")
    visit(second, "two-tabs-stale")
    second.close()
    first.reload()
    expect(first.get_by_label("Indicateurs d'évaluation")).to_have_value("Version de l'onglet 1")


def another_organisation_cannot_see_it(page, application_url, reference):
    """A user of another housing body: not in their list, 404 on the address."""
    go_to_menu(page, "Mes dossiers")
    expect(page.get_by_role("main")).not_to_contain_text(reference)
    response = page.goto(application_url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
