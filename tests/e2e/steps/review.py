"""Staff assess the application (eligibility, regional opinion, reviewers); committee members
score it; a conflicted member cannot even open it."""
import re

from playwright.sync_api import expect

from tests.e2e.helpers import expect_error_next_to, go_to_menu, visit

STALE = "modifiées entre-temps"
REVIEWERS = ("Jean Rossi", "Sophie Garnier")
CONFLICTED = "Marc Giraud"  # works for the applicant's organisation


def open_assessment(page, call_title, reference):
    """Instruction → the call's applications → the application's assessment page."""
    go_to_menu(page, "Instruction")
    visit(page, "assessment-index")
    page.get_by_role("row", name=re.compile(re.escape(call_title))).get_by_role("link", name="Dossiers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(call_title)
    visit(page, "assessment-call")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    return page.url


def fire(page, action, comment=None):
    """A workflow action from the "Actions possibles" box (with its small form when it has one)."""
    box = page.locator("section.workflow-actions")
    summary = box.locator("summary", has_text=action)
    if summary.count():
        summary.click()
        if comment:
            box.get_by_label(re.compile("Commentaire")).fill(comment)
        box.get_by_role("button", name=f"Confirmer : {action}").click()
    else:
        box.get_by_role("button", name=action, exact=True).click()
    page.wait_for_load_state("load")


def check_eligibility_and_give_opinion(page):
    for answer in page.get_by_label("Satisfait", exact=True).all():
        answer.check()
    page.get_by_role("button", name="Enregistrer la grille").click()
    expect(page.get_by_text("Grille de recevabilité enregistrée.")).to_be_visible()
    page.get_by_role("group", name="Avis de l'association régionale").get_by_label("Favorable", exact=True).check()
    page.get_by_label("Motifs").fill("Projet attendu par les associations de locataires du quartier.")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.get_by_text("Avis de l'association régionale enregistré.")).to_be_visible()
    visit(page, "assessment-checked")


def declare_eligible_from_two_tabs(page):
    """The same action fired from two tabs: the first wins, the second is told to reload."""
    second = page.context.new_page()
    second.goto(page.url)
    fire(page, "Déclarer recevable")
    expect(page.get_by_text(re.compile("Déclarer recevable.*c'est fait"))).to_be_visible()
    fire(second, "Déclarer recevable")
    expect(second.get_by_role("alert").filter(has_text=STALE).first).to_be_visible()
    visit(second, "two-tabs-workflow-stale")
    second.close()
    page.reload()


def assign_two_reviewers_and_start_review(page):
    """The picker shows each member with e-mail and organisation; the conflicted one is there,
    greyed, with the reason; a search narrows the list."""
    picker = page.get_by_role("group", name="Membres du comité à désigner")
    expect(picker.get_by_role("checkbox", name=re.compile(CONFLICTED))).to_be_disabled()
    expect(picker).to_contain_text("conflit d'intérêts : Même organisme")
    picker.get_by_label("Rechercher").fill(REVIEWERS[0].split()[0].lower())
    expect(picker.get_by_role("checkbox", name=re.compile(REVIEWERS[1]))).to_be_hidden()
    picker.get_by_label("Rechercher").fill("")
    for name in REVIEWERS:
        picker.get_by_role("checkbox", name=re.compile(name)).check()
    page.get_by_role("button", name="Désigner").click()
    expect(page.get_by_text("2 évaluateurs désignés.")).to_be_visible()
    reviewers = page.locator("section", has=page.get_by_role("heading", name="Évaluateurs"))
    for name in REVIEWERS:
        expect(reviewers).to_contain_text(name)
    conflicts = page.locator("section", has=page.get_by_role("heading", name="Conflits d'intérêts"))
    expect(conflicts).to_contain_text(f"{CONFLICTED} — Même organisme")
    fire(page, "Lancer la notation")
    expect(page.get_by_text(re.compile("Lancer la notation.*c'est fait"))).to_be_visible()
    visit(page, "reviewers-assigned")


def conflicted_member_cannot_open_it(page, application_url, reference):
    """Not in their queue; the application and its reviews answer 404, as if they did not exist."""
    go_to_menu(page, "Mes évaluations")
    expect(page.get_by_role("main")).not_to_contain_text(reference)
    application_id = application_url.rstrip("/").rsplit("/", 1)[-1]
    for address in (application_url, f"/review/applications/{application_id}/reviews"):
        response = page.goto(address)
        assert response.status == 404, (address, response.status)
        expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    visit(page, "conflicted-member-404")


def score(page, reference, scores, recommendation, first_try_invalid=False):
    go_to_menu(page, "Mes évaluations")
    visit(page, "reviewer-queue")
    page.get_by_role("row", name=re.compile(reference)).get_by_role("link", name="Évaluer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Évaluation de {reference}")
    for label, value in scores.items():
        page.get_by_label(label, exact=True).fill(value)
        page.get_by_label(f"Commentaire sur « {label} »").fill(f"Appréciation sur {label.lower()}.")
    page.get_by_label(recommendation, exact=True).check()
    page.get_by_label("3 — élevée (mon domaine)").check()
    page.get_by_label("Appréciation générale").fill("Projet solide et évaluable.")
    if first_try_invalid:
        # The form is novalidate: 7 on a 0–5 scale reaches the server, whose French message sits
        # next to the field (not the browser's bubble), and nothing is submitted.
        first = page.get_by_label(next(iter(scores)), exact=True)
        first.fill("7")
        page.get_by_role("button", name="Soumettre l'évaluation").click()
        expect_error_next_to(first, "La note doit être comprise entre 0 et 5.")
        expect(page.get_by_text("Évaluation soumise.")).to_have_count(0)
        first.fill(next(iter(scores.values())))
    page.get_by_role("button", name="Soumettre l'évaluation").click()
    expect(page.get_by_text("Évaluation soumise.")).to_be_visible()
    visit(page, "review-submitted")


def ranking_and_workflow_diagram(page, call_title, reference):
    """The call's ranking lists the application with its figures; the workflow diagram, drawn in
    the browser by the vendored Mermaid, highlights the state it reached."""
    go_to_menu(page, "Instruction")
    page.get_by_role("row", name=re.compile(re.escape(call_title))).get_by_role("link", name="Classement").click()
    expect(page.get_by_role("row", name=re.compile(reference))).to_contain_text("76,67")
    visit(page, "call-ranking")
    go_to_menu(page, "Circuits")
    page.get_by_role("link", name="Dossier de candidature").click()
    page.get_by_label("Mettre en évidence l'état").select_option(label="Lauréat")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("État courant :")).to_contain_text("Lauréat")
    expect(page.locator("#workflow-diagram svg")).to_be_visible()
    visit(page, "workflow-diagram")
