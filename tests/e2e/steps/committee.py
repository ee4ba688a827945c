"""The committee session: staff schedule it, the chair runs it and approves within the envelope,
members follow it live, the applicant reads the decision letter."""
import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from tests.e2e.helpers import go_to_menu, visit
from tests.e2e.steps.applications import PROJECT_TITLE
from tests.e2e.steps.calls import PARIS, local_input
from tests.e2e.steps.review import CONFLICTED, REVIEWERS, fire

SESSION_TITLE = "Comité FSI — séance du parcours navigateur"
CHAIR = "Claire Dubois"


def close_review(page, assessment_url):
    page.goto(assessment_url)
    fire(page, "Clore la notation")
    expect(page.get_by_text(re.compile("Clore la notation.*c'est fait"))).to_be_visible()


def schedule_session(page, call_title, reference):
    """Instruction → "Programmer une séance" for the call; the reviewed application on its agenda;
    everyone present. Returns the session's address."""
    go_to_menu(page, "Instruction")
    page.get_by_role("row", name=re.compile(re.escape(call_title))).get_by_role(
        "link", name="Programmer une séance").click()
    page.get_by_label("Intitulé").fill(SESSION_TITLE)
    page.get_by_label("Date et heure (heure de Paris)").fill(local_input(datetime.now(PARIS) + timedelta(hours=2)))
    page.get_by_label("Lieu").fill("Marseille, siège de l'association régionale")
    page.get_by_label("Quorum (membres présents sans conflit)").fill("2")
    page.get_by_label("Président(e) de séance").select_option(label=f"{CHAIR} (instructeur@demo.fsi)")
    members = page.get_by_role("group", name="Membres")
    for name in (*REVIEWERS, CONFLICTED):
        members.get_by_role("checkbox", name=re.compile(name)).check()
    visit(page, "session-new")
    page.get_by_role("button", name="Programmer").click()
    expect(page.get_by_text("Séance programmée.")).to_be_visible()

    page.get_by_label("Dossier noté à inscrire").select_option(label=f"{reference} — {PROJECT_TITLE}")
    page.get_by_role("button", name="Inscrire à l'ordre du jour").click()
    expect(page.get_by_text("Dossier inscrit à l'ordre du jour.")).to_be_visible()
    agenda_row = page.get_by_role("row", name=re.compile(reference))
    expect(agenda_row).to_contain_text(CONFLICTED)  # leaves the room for this item
    for name in (*REVIEWERS, CONFLICTED):
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Présences enregistrées.")).to_be_visible()
    visit(page, "session-prepared")
    return page.url


def open_session_mode(page, session_url, reference):
    page.goto(session_url)
    page.get_by_role("link", name="Mode séance").click()
    item = page.locator("section", has=page.get_by_role("heading", name=re.compile(reference)))
    expect(item).to_contain_text("Quorum du point : 2/2")
    return item


def member_follows_the_item_live(chair_page, member_page, session_url, reference):
    """The chair moves to the item; the member's live page shows it without reloading."""
    go_to_menu(member_page, "Séances")
    member_page.get_by_role("row", name=re.compile(SESSION_TITLE)).get_by_role("link", name="Suivre en direct").click()
    live = member_page.locator("#live-item")
    expect(live).to_contain_text("Aucun point en discussion")
    visit(member_page, "session-live")
    item = open_session_mode(chair_page, session_url, reference)
    item.get_by_role("button", name="Passer à ce point").click()
    expect(live).to_contain_text(reference, timeout=15_000)


def approve_within_the_envelope(page, session_url, reference, amount="25 000"):
    """More than requested is refused in French; the requested amount is approved."""
    item = open_session_mode(page, session_url, reference)
    visit(page, "session-run", doc="05-seance-comite")
    item.get_by_label("Montant (€), Accorder la subvention").fill("40 000")
    item.get_by_role("button", name="Enregistrer : Accorder la subvention").click()
    expect(page.get_by_role("alert").filter(has_text="dépasse le montant demandé")).to_be_visible()
    item = page.locator("section", has=page.get_by_role("heading", name=re.compile(reference)))
    item.get_by_label("Montant (€), Accorder la subvention").fill(amount)
    item.get_by_label("Commentaire, Accorder la subvention").fill("Le comité salue le caractère reproductible du projet.")
    item.get_by_role("button", name="Enregistrer : Accorder la subvention").click()
    expect(page.get_by_text(f"Décision enregistrée pour {reference}.")).to_be_visible()
    expect(item).to_contain_text("Lettre retenue")
    # The call's envelope of 300 000 € now has 275 000 € left.
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"Reste disponible\s*275\s000,00"))
    visit(page, "session-decided")


def release_letters_and_close(page, reference):
    """Returns the address of the decision letter."""
    page.get_by_role("button", name="Envoyer toutes les lettres retenues").click()
    expect(page.get_by_text("1 lettre(s) de décision envoyée(s).")).to_be_visible()
    item = page.locator("section", has=page.get_by_role("heading", name=re.compile(reference)))
    letter_url = item.get_by_role("link", name="Voir la lettre").get_attribute("href")
    page.get_by_role("button", name="Clore la séance").click()
    expect(page.get_by_text("Séance close ; le procès-verbal est figé.")).to_be_visible()
    page.get_by_role("link", name="Procès-verbal").click()
    minutes = page.get_by_role("row", name=re.compile(reference))
    expect(minutes).to_contain_text("Accordé")
    expect(minutes).to_contain_text(CONFLICTED)
    visit(page, "session-minutes")
    return letter_url


def applicant_reads_the_decision(page, reference, letter_url):
    """The application shows the amount; "Décisions du comité" leads to the letter."""
    go_to_menu(page, "Mes dossiers")
    expect(page.get_by_role("row", name=re.compile(reference))).to_contain_text("Lauréat")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("main")).to_contain_text("25 000,00")
    visit(page, "application-approved")
    go_to_menu(page, "Décisions du comité")
    row = page.get_by_role("row", name=re.compile(reference))
    expect(row).to_contain_text("Accordé")
    visit(page, "my-decision-letters")
    row.get_by_role("link", name="Lire la lettre").click()
    expect(page).to_have_url(re.compile(re.escape(letter_url) + "$"))
    letter = page.get_by_role("main")
    expect(letter).to_contain_text(f"Objet : {reference}")
    expect(letter).to_contain_text("vous accorder une subvention de 25 000,00")
    visit(page, "decision-letter", doc="06-lettre-decision")
