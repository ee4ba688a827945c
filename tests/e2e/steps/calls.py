"""Staff open a call for projects with its scoring grid."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.helpers import expect_error_next_to, go_to_menu, visit

PARIS = ZoneInfo("Europe/Paris")

#: The grid the journey's call uses: label, weight, scale maximum.
GRID = [
    ("Caractère innovant", "2", "5"),
    ("Impact pour les locataires", "1,5", "5"),
    ("Reproductibilité", "1", "5"),
]


def local_input(moment):
    """The value of an <input type=datetime-local>, in Paris time."""
    return moment.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def open_call_with_grid(page, title, envelope="300 000"):
    """A staff member creates an open call from the calls page, with a three-criterion grid."""
    page.goto("/")
    go_to_menu(page, "Appels à projets")
    page.get_by_role("link", name="Nouvel appel à projets").click()
    expect(page.get_by_role("heading", name="Nouvel appel à projets")).to_be_visible()
    visit(page, "call-new")

    now = datetime.now(PARIS)
    page.get_by_label("Titre", exact=True).fill(title)
    page.get_by_label("Présentation (Markdown)").fill(
        "Appel ouvert aux organismes Hlm de la région.\n\n- projets **évaluables**\n- résultats diffusés")
    page.get_by_label("Ouverture (heure de Paris)").fill(local_input(now - timedelta(days=1)))
    page.get_by_label("Clôture (heure de Paris)").fill(local_input(now + timedelta(days=30)))
    page.get_by_label("Intelligence collective").check()
    page.get_by_label("Vieillissement et handicap").check()
    page.get_by_label("Enveloppe (€)").fill(envelope)
    page.get_by_label("Pièces obligatoires (une par ligne)").fill("Délibération du conseil d'administration")
    for index, (label, weight, scale_max) in enumerate(GRID):
        # Each card's labels end with "critère n° N" (visually hidden): one field per name.
        number = f"critère n° {index + 1}"
        page.get_by_label(f"Critère, {number}", exact=True).fill(label)
        page.get_by_label(f"Pondération, {number}", exact=True).fill(weight)
        page.get_by_label(f"Note maximale, {number}", exact=True).fill(scale_max)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("L'appel à projets est créé.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    grid = page.locator("section", has=page.get_by_role("heading", name="Grille de notation"))
    for label, _weight, _max in GRID:
        expect(grid.get_by_role("cell", name=label, exact=True)).to_be_visible()
    # The README's picture shows the funding rules and the grid, not the top of the page.
    page.get_by_role("heading", name="Règles de financement").evaluate(
        "heading => heading.scrollIntoView({block: 'start'})")
    visit(page, "call-created", doc="02-appel-grille")
    return page.url


def invalid_call_dates_are_refused_next_to_the_field(page):
    """A closing date before the opening date: the French message sits next to the field."""
    page.goto("/calls/new")
    now = datetime.now(PARIS)
    page.get_by_label("Titre", exact=True).fill("Appel aux dates inversées")
    page.get_by_label("Ouverture (heure de Paris)").fill(local_input(now + timedelta(days=5)))
    page.get_by_label("Clôture (heure de Paris)").fill(local_input(now))
    page.get_by_label("Enveloppe (€)").fill("douze")
    page.get_by_role("button", name="Enregistrer").click()
    expect_error_next_to(page.get_by_label("Clôture (heure de Paris)"), "La clôture doit suivre l'ouverture.")
    expect_error_next_to(page.get_by_label("Enveloppe (€)"), "Saisissez un montant en chiffres")
    visit(page, "call-invalid")

