"""An applicant of a housing body fills the application form over two visits, attaches a PDF,
is told what is missing, completes and submits."""
import re

from playwright.sync_api import expect

from tests.e2e.helpers import choice, expect_error_next_to, go_to_menu, in_row, shown, t, t_re, typed, visit

PROJECT_TITLE = "Conciergerie numérique pour les résidences seniors"
STALE = "Ces données ont été modifiées entre-temps par quelqu'un d'autre : rechargez la page et recommencez."


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
    page.get_by_role("button", name=t("Enregistrer la section")).click()
    expect(page.get_by_text(t("Section enregistrée."))).to_be_visible()


def open_section(page, title):
    page.get_by_role("navigation", name=t("Sections du dossier")).get_by_role("link", name=t(title)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(title))


def start_draft(page, call_title):
    """From the calls page to a new draft; returns (its address, its reference)."""
    go_to_menu(page, "Appels à projets")
    visit(page, "calls-applicant")
    page.get_by_role("link", name=call_title).click()
    page.get_by_role("button", name=t("Créer un dossier de candidature")).click()
    flash = page.get_by_text(t_re("Le brouillon %(ref)s est créé : vous pouvez le remplir en plusieurs fois.",
                                  ref=r"FSI-\d{4}-\d+"))
    expect(flash).to_be_visible()
    reference = re.search(r"FSI-\d{4}-\d+", flash.inner_text()).group(0)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Porteur et contact"))
    return re.sub(r"/section/.*$", "", page.url), reference


def fill_first_visit(page):
    """Contact and project sections; the rest is left for another day."""
    page.get_by_label(t("Personne à contacter")).fill("Camille Martin")
    page.get_by_label(t("Fonction")).fill("Responsable innovation sociale")
    page.get_by_label(t("Adresse de courriel")).fill("camille.martin@habitat-marseille.example")
    page.get_by_label(t("Téléphone")).fill("04 91 00 00 00")
    save_section(page)
    visit(page, "application-contact")

    open_section(page, "Projet")
    page.get_by_label(t("Titre du projet")).fill(PROJECT_TITLE)
    page.get_by_label(t("Résumé")).fill("Un service de conciergerie et d'accompagnement numérique pour les locataires âgés.")
    page.get_by_label(t("Description du projet")).fill("Permanences hebdomadaires, tablettes prêtées, ateliers.")
    page.get_by_label(t("En quoi le projet est-il innovant ?")).fill("Des locataires volontaires formés comme relais.")
    page.get_by_label(t("Locataires et personnels concernés")).fill("420 locataires de plus de 70 ans, 12 gardiens.")
    page.get_by_label(t("Territoire (département et EPCI)")).select_option(
        label="Bouches-du-Rhône (13) — Métropole d'Aix-Marseille-Provence")
    page.get_by_label(t("Type de projet")).select_option(label=choice("Projet d'innovation"))
    page.get_by_label(t("Thème")).select_option(label=choice("Vieillissement et handicap"))
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
    page.get_by_role("navigation", name=t("Sections du dossier")).get_by_role("link", name=t("Projet")).click()
    expect(page.get_by_label(t("Titre du projet"))).to_have_value(PROJECT_TITLE)
    expect(page.get_by_label(t("Personne à contacter"))).to_have_count(0)


def fill_budget_lines(page):
    """Each repeated field is named after its row (« Libellé, ligne 2 »)."""
    costs = page.locator("#cost_lines")
    costs.get_by_label(in_row("Catégorie", 1), exact=True).select_option(label=choice("Développements numériques"))
    costs.get_by_label(in_row("Libellé", 1), exact=True).fill("Application de conciergerie")
    costs.get_by_label(in_row("Montant HT (€)", 1), exact=True).fill(typed("40000"))
    costs.get_by_label(in_row("Montant TTC (€)", 1), exact=True).fill(typed("48000"))
    costs.get_by_label(in_row("Catégorie", 2), exact=True).select_option(label=choice("Évaluation"))
    costs.get_by_label(in_row("Libellé", 2), exact=True).fill("Évaluation par un laboratoire")
    costs.get_by_label(in_row("Montant HT (€)", 2), exact=True).fill(typed("20000"))
    costs.get_by_label(in_row("Montant TTC (€)", 2), exact=True).fill(typed("24000"))
    cofundings = page.locator("#cofundings")
    cofundings.get_by_label(in_row("Financeur", 1), exact=True).fill("Région Sud")
    cofundings.get_by_label(in_row("Nature", 1), exact=True).select_option(label=t("Public"))
    cofundings.get_by_label(in_row("Montant (€)", 1), exact=True).fill(typed("10000"))


def invalid_budget_is_refused_next_to_the_field(page):
    """Words instead of an amount, then more than the calculator allows: French messages on the
    field, and nothing typed is lost."""
    open_section(page, "Budget")
    fill_budget_lines(page)
    requested = page.get_by_label(t("Montant de subvention demandé (€)"))
    requested.fill("vingt mille")
    page.get_by_role("button", name=t("Enregistrer la section")).click()
    expect_error_next_to(page.get_by_label(t("Montant de subvention demandé (€)")),
                         t("Saisissez un montant en chiffres, par exemple 12 500,50."))
    expect(page.get_by_label(in_row("Libellé", 1), exact=True)).to_have_value("Application de conciergerie")
    visit(page, "budget-invalid")

    page.get_by_label(t("Montant de subvention demandé (€)")).fill(typed("45000"))
    page.get_by_role("button", name=t("Enregistrer la section")).click()
    expect_error_next_to(page.get_by_label(t("Montant de subvention demandé (€)")),
                         t_re("Le montant demandé dépasse la subvention maximale permise (%(max)s)."))


def budget_within_the_calculator(page):
    """The calculator explains the maximum (50 % of 60 000 €); the applicant asks for less."""
    calculator = page.locator("#calculator")
    expect(calculator).to_contain_text(shown("30000"))
    page.get_by_label(t("Montant de subvention demandé (€)")).fill(typed("25000"))
    save_section(page)
    expect(page.locator("#calculator")).to_contain_text(shown("30000"))
    # The README's picture shows the totals and the calculator, not the top of the form.
    page.get_by_role("heading", name=t("Totaux")).evaluate("heading => heading.scrollIntoView({block: 'start'})")
    visit(page, "budget-saved", doc="03-budget-calculateur")


def blocked_submission_lists_what_is_missing(page, application_url):
    page.goto(application_url)
    page.get_by_role("button", name=choice("Déposer le dossier"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t_re("Le dossier %(ref)s ne peut pas encore être déposé"))
    summary = page.get_by_role("alert")
    for missing in (t("Indiquez la date de début."), t("Décrivez les résultats attendus."),
                    t("Pièce manquante : %(label)s.", label="Délibération du conseil d'administration")):
        expect(summary.get_by_role("link", name=missing)).to_be_visible()
    visit(page, "submission-blocked", doc="04-depot-bloque")
    # Each problem links to its field.
    summary.get_by_role("link", name=t("Indiquez la date de début.")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Calendrier"))
    expect(page).to_have_url(re.compile(r"#start_date$"))


def complete_timeline_and_results(page):
    page.get_by_label(t("Date de début")).fill("2027-01-04")
    page.get_by_label(t("Date de fin")).fill("2028-06-30")
    page.get_by_label(in_row("Date", 1), exact=True).fill("2027-06-30")
    page.get_by_label(in_row("Étape", 1), exact=True).fill("Premières permanences dans trois résidences")
    save_section(page)
    visit(page, "timeline-saved")
    open_section(page, "Résultats et évaluation")
    page.get_by_label(t("Résultats attendus")).fill("Moins d'isolement, démarches en ligne faites par les locataires.")
    page.get_by_label(t("Indicateurs d'évaluation")).fill("Nombre de locataires accompagnés ; enquête avant/après.")
    save_section(page)


def attach_pdf(page):
    open_section(page, "Pièces jointes")
    page.get_by_label(t("Pièce"), exact=True).select_option(label="Délibération du conseil d'administration")
    page.get_by_label(t("Fichier (PDF, ODT, ODS, DOCX, XLSX, PNG ou JPEG)")).set_input_files(
        {"name": "deliberation-ca.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()})
    page.get_by_role("button", name=t("Joindre")).click()
    expect(page.get_by_text(t("La pièce est jointe."))).to_be_visible()
    expect(page.get_by_role("link", name="deliberation-ca.pdf")).to_be_visible()
    visit(page, "attachment-added")


def submit(page, application_url, reference):
    page.goto(application_url)
    page.get_by_role("button", name=choice("Déposer le dossier"), exact=True).click()
    submitted = "Le dossier %(ref)s est déposé. Il n'est plus modifiable sauf s'il vous est retourné."
    expect(page.get_by_text(t(submitted, ref=reference))).to_be_visible()
    expect(page.get_by_role("button", name=choice("Déposer le dossier"), exact=True)).to_have_count(0)
    visit(page, "application-submitted")


def same_section_saved_from_two_tabs(page, application_url):
    """Two tabs of one browser on the same section: the second save is refused, nothing lost."""
    first = page
    second = page.context.new_page()
    for tab in (first, second):
        tab.goto(application_url + "/section/results")
    first.get_by_label(t("Indicateurs d'évaluation")).fill("Version de l'onglet 1")
    save_section(first)
    second.get_by_label(t("Indicateurs d'évaluation")).fill("Version de l'onglet 2")
    second.get_by_role("button", name=t("Enregistrer la section")).click()
    expect(second.get_by_role("alert").filter(has_text=t(STALE)).first).to_be_visible()
    expect(second.get_by_label(t("Indicateurs d'évaluation"))).to_have_value("Version de l'onglet 2")
    visit(second, "two-tabs-stale")
    second.close()
    first.reload()
    expect(first.get_by_label(t("Indicateurs d'évaluation"))).to_have_value("Version de l'onglet 1")


def another_organisation_cannot_see_it(page, application_url, reference):
    """A user of another housing body: not in their list, 404 on the address."""
    go_to_menu(page, "Mes dossiers")
    expect(page.get_by_role("main")).not_to_contain_text(reference)
    response = page.goto(application_url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Page introuvable"))
