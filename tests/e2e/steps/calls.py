"""Staff open a call for projects with its scoring grid."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.helpers import JOURNEY, choice, expect_error_next_to, go_to_menu, t, typed, visit

PARIS = ZoneInfo("Europe/Paris")

#: The grid the journey's call uses: label, weight, scale maximum.
GRID = [
    ("Caractère innovant", "2", "5"),
    ("Impact pour les locataires", "1.5", "5"),
    ("Reproductibilité", "1", "5"),
]


def typed_decimal(value):
    """A decimal as the journey's language writes it: « 1,5 » or « 1.5 »."""
    return value if JOURNEY["language"] == "en" else value.replace(".", ",")


def local_input(moment):
    """The value of an <input type=datetime-local>, in Paris time."""
    return moment.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def open_call_with_grid(page, title, envelope="300000", circuit=None):
    """A staff member creates an open call from the calls page, with a three-criterion grid (in
    the regional circuit, or the one named by its label)."""
    page.goto("/")
    go_to_menu(page, "Appels à projets")
    page.get_by_role("link", name=t("Nouvel appel à projets")).click()
    expect(page.get_by_role("heading", name=t("Nouvel appel à projets"))).to_be_visible()
    visit(page, "call-new")

    now = datetime.now(PARIS)
    page.get_by_label(t("Titre"), exact=True).fill(title)
    if circuit:
        page.get_by_role("group", name=t("Circuit des dossiers")).get_by_label(choice(circuit)).check()
    page.get_by_label(t("Présentation (Markdown)")).fill(
        "Appel ouvert aux organismes Hlm de la région.\n\n- projets **évaluables**\n- résultats diffusés")
    page.get_by_label(t("Ouverture (heure de Paris)")).fill(local_input(now - timedelta(days=1)))
    page.get_by_label(t("Clôture (heure de Paris)")).fill(local_input(now + timedelta(days=30)))
    page.get_by_label(choice("Intelligence collective")).check()
    page.get_by_label(choice("Vieillissement et handicap")).check()
    page.get_by_label(t("Enveloppe (€)")).fill(typed(envelope))
    page.get_by_label(t("Pièces obligatoires (une par ligne)")).fill("Délibération du conseil d'administration")
    for index, (label, weight, scale_max) in enumerate(GRID):
        # Each card's labels end with "critère n° N" (visually hidden): one field per name.
        number = t("critère n° %(n)s", n=index + 1)
        page.get_by_label(f"{t('Critère')}, {number}", exact=True).fill(label)
        page.get_by_label(f"{t('Pondération')}, {number}", exact=True).fill(typed_decimal(weight))
        page.get_by_label(f"{t('Note maximale')}, {number}", exact=True).fill(scale_max)
    page.get_by_role("button", name=t("Enregistrer")).click()

    expect(page.get_by_text(t("L'appel à projets est créé."))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    grid = page.locator("section", has=page.get_by_role("heading", name=t("Grille de notation")))
    for label, _weight, _max in GRID:
        expect(grid.get_by_role("cell", name=label, exact=True)).to_be_visible()
    # The README's picture shows the funding rules and the grid, not the top of the page.
    page.get_by_role("heading", name=t("Règles de financement")).evaluate(
        "heading => heading.scrollIntoView({block: 'start'})")
    visit(page, "call-created", doc="02-appel-grille")
    return page.url


def invalid_call_dates_are_refused_next_to_the_field(page):
    """A closing date before the opening date: the French message sits next to the field."""
    page.goto("/calls/new")
    now = datetime.now(PARIS)
    page.get_by_label(t("Titre"), exact=True).fill("Appel aux dates inversées")
    page.get_by_label(t("Ouverture (heure de Paris)")).fill(local_input(now + timedelta(days=5)))
    page.get_by_label(t("Clôture (heure de Paris)")).fill(local_input(now))
    page.get_by_label(t("Enveloppe (€)")).fill("douze")
    page.get_by_role("button", name=t("Enregistrer")).click()
    expect_error_next_to(page.get_by_label(t("Clôture (heure de Paris)")), t("La clôture doit suivre l'ouverture."))
    expect_error_next_to(page.get_by_label(t("Enveloppe (€)")),
                         t("Saisissez un montant en chiffres, par exemple 12 500,50."))
    visit(page, "call-invalid")

