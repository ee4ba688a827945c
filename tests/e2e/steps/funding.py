"""Funded projects in the browser: staff record the signed agreement, which starts the project
with its schedule of payments and its reports; tranches are requested, approved and paid from
their page; the lead writes the reports, staff accept them; the final report's spending sets
what is due; a project abandoned after its advance has its clawback recorded as received."""
import re
from datetime import timedelta

from playwright.sync_api import expect

from fsi.i18n import today
from tests.e2e.helpers import choice, go_to_menu, money_re, t, t_re, typed, visit
from tests.e2e.steps.applications import tiny_pdf
from tests.e2e.steps.review import done, fire

SIGN = "Enregistrer la convention signée avec la CGLLS"


def open_project(page, title):
    """« Projets financés », then the project's row (found by the application's title)."""
    go_to_menu(page, "Projets financés")
    visit(page, "funding-projects")
    page.get_by_role("row", name=re.compile(re.escape(title))).get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    return page.url


def figure(page, term):
    """The value of a key figure of the project page (« Chiffres clés »)."""
    figures = page.get_by_role("region", name=t("Chiffres clés"), exact=True)
    return figures.locator("dt", has_text=re.compile(rf"^{re.escape(t(term))}$")).locator("xpath=following-sibling::dd[1]")


def expect_figures(page, **amounts):
    """``granted=``, ``paid=``, ``remaining=``, ``due=``: each figure in euros, French style."""
    terms = {"granted": "Subvention accordée", "paid": "Déjà versé", "remaining": "Reste à verser",
             "due": "Dû après le bilan final"}
    for key, amount in amounts.items():
        expect(figure(page, terms[key])).to_have_text(re.compile(rf"^{money_re(amount)}$"))


def sign_the_agreement(page, project_url):
    """From the application's actions, the agreement's page: signature date, the signed PDF, the
    project's dates. The project starts: schedule and reports are set."""
    page.goto(project_url)
    page.get_by_role("link", name=t("Voir le dossier de candidature")).click()
    page.locator("section.workflow-actions").get_by_role("link", name=f"{choice(SIGN)}…").click()
    visit(page, "funding-agreement")
    starts = today()
    page.get_by_label(t("Date de signature")).fill((starts - timedelta(days=3)).isoformat())
    page.get_by_label(t("Convention signée (PDF)")).set_input_files(
        {"name": "convention-signee.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()})
    page.get_by_label(t("Début du projet")).fill(starts.isoformat())
    page.get_by_label(t("Fin du projet")).fill((starts + timedelta(days=700)).isoformat())
    page.get_by_role("button", name=t("Enregistrer la convention")).click()
    expect(page.get_by_text(t_re("Convention enregistrée : le projet %(reference)s a démarré.",
                                 reference=r"FSI-\S+"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(choice("Projet en cours"))
    page.goto(project_url)
    expect(page.get_by_role("region", name=t("Convention"), exact=True)).to_contain_text(
        t("Convention signée le %(day)s.", day=(starts - timedelta(days=3)).strftime("%d/%m/%Y")))


def tranche_row(page, label):
    return page.get_by_role("region", name=t("Versements"), exact=True).get_by_role("row", name=re.compile(rf"^{label}"))


def pay_tranche(page, project_url, label, amount):
    """A tranche from request to payment, on its page, by staff."""
    page.goto(project_url)
    row = tranche_row(page, label)
    expect(row).to_contain_text(re.compile(money_re(amount)))
    row.get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Versement « %(label)s »", label=label))
    visit(page, "funding-tranche")
    fire(page, "Demander le versement")
    expect(page.get_by_text(done("Demander le versement"))).to_be_visible()
    fire(page, "Valider le versement")
    expect(page.get_by_text(done("Valider le versement"))).to_be_visible()
    box = page.locator("section.workflow-actions")
    box.locator("summary", has_text=choice("Enregistrer le paiement")).click()
    box.get_by_label(t("Date")).fill(today().isoformat())
    box.get_by_role("button", name=t("Confirmer : %(action)s", action=choice("Enregistrer le paiement"))).click()
    expect(page.get_by_text(done("Enregistrer le paiement"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        t_re("le %(day)s : %(amount)s", day=re.escape(today().strftime("%d/%m/%Y")), amount=money_re(amount)))
    page.goto(project_url)
    expect(tranche_row(page, label)).to_contain_text(choice("Versé"))


def visit_tall(page, name, doc=None, height=1500):
    """visit() in a taller window: the README's picture (the window only) shows the figures and
    the tables below them."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": height})
    try:
        visit(page, name, doc=doc)
    finally:
        page.set_viewport_size(size)


def open_report(page, project_url, kind):
    page.goto(project_url)
    reports = page.get_by_role("region", name=t("Rapports"), exact=True)
    reports.get_by_role("link", name=choice(kind), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(choice(kind))


#: the reports' names in the screenshots' file names
SLUGS = {"Rapport d'étape": "progress-report", "Bilan final": "final-report"}


def write_and_submit_report(page, project_url, kind, spent, doc=None):
    """The lead writes the report (achievements, indicators, actual spending by budget line,
    difficulties, lessons), saves the draft, checks the totals, then submits it."""
    open_report(page, project_url, kind)
    page.get_by_label(t("Réalisations")).fill("Les jardins sont aménagés ; les locataires en assurent l'entretien.")
    for measured in page.get_by_label(re.compile(rf"^{t('Valeur mesurée')}")).all():
        measured.fill("12 parcelles cultivées, 85 % de locataires satisfaits")
    page.get_by_label(re.compile(rf"^{re.escape(t('Dépense réelle (€)'))}")).fill(typed(spent))
    page.get_by_label(t("Difficultés rencontrées")).fill("Un hiver pluvieux a retardé les plantations.")
    page.get_by_label(t("Enseignements")).fill("Confier une parcelle à l'école du quartier fédère les familles.")
    page.get_by_role("button", name=t("Enregistrer le brouillon")).click()
    expect(page.get_by_text(t("Rapport enregistré."))).to_be_visible()
    totals = page.locator("dl.totals")
    expect(totals.locator("dt", has_text=t("Total réel")).locator("xpath=following-sibling::dd[1]"))\
        .to_have_text(re.compile(money_re(spent)))
    visit_tall(page, f"funding-{SLUGS[kind]}", doc=doc)
    fire(page, "Déposer le rapport")
    expect(page.get_by_text(done("Déposer le rapport"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(choice("Déposé"))


def accept_report(page, project_url, kind):
    open_report(page, project_url, kind)
    visit(page, f"funding-{SLUGS[kind]}-submitted")
    fire(page, "Accepter le rapport")
    expect(page.get_by_text(done("Accepter le rapport"))).to_be_visible()
    page.goto(project_url)
    row = page.get_by_role("region", name=t("Rapports"), exact=True).get_by_role("row", name=re.compile(re.escape(choice(kind))))
    expect(row).to_contain_text(choice("Accepté"))


def abandon(page, project_url, still_due, reason):
    """Staff record the abandonment from the application's actions, with what is still due."""
    page.goto(project_url)
    page.get_by_role("link", name=t("Voir le dossier de candidature")).click()
    action = choice("Constater l'abandon du projet")
    box = page.locator("section.workflow-actions")
    box.locator("summary", has_text=action).click()
    box.get_by_label(re.compile(t("Commentaire"))).fill(reason)
    box.get_by_label(t("Montant encore dû (€)")).fill(typed(still_due))
    box.get_by_role("button", name=t("Confirmer : %(action)s", action=action)).click()
    expect(page.get_by_text(done("Constater l'abandon du projet"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(choice("Abandonné"))


def record_clawback_received(page, project_url, amount):
    page.goto(project_url)
    clawbacks = page.get_by_role("region", name=t("Reversements demandés"), exact=True)
    expect(clawbacks).to_contain_text(re.compile(money_re(amount)))
    visit(page, "funding-clawback")
    clawbacks.get_by_label(re.compile(rf"^{t('Reçu le')}")).fill(today().isoformat())
    clawbacks.get_by_role("button", name=t("Enregistrer la réception")).click()
    expect(page.get_by_text(t("Le reversement est enregistré comme reçu."))).to_be_visible()
    expect(page.get_by_role("region", name=t("Reversements demandés"), exact=True)).to_contain_text(
        t("reçu le %(day)s", day=today().strftime("%d/%m/%Y")))
