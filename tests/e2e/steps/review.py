"""Staff assess the application (eligibility, regional opinion, reviewers); committee members
score it; a conflicted member cannot even open it."""
import re

from playwright.sync_api import expect

from tests.e2e.helpers import choice, expect_error_next_to, go_to_menu, shown, t, t_re, visit

STALE = "Ces données ont été modifiées entre-temps par quelqu'un d'autre : rechargez la page et recommencez."
REVIEWERS = ("Jean Rossi", "Sophie Garnier")
CONFLICTED = "Marc Giraud"  # works for the applicant's organisation


def open_assessment(page, call_title, reference):
    """Instruction → the call's applications → the application's assessment page."""
    go_to_menu(page, "Instruction")
    visit(page, "assessment-index")
    page.get_by_role("row", name=re.compile(re.escape(call_title))).get_by_role("link", name=t("Dossiers")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(call_title)
    visit(page, "assessment-call")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    return page.url


def fire(page, action, comment=None):
    """A workflow action (its French label) from the "Actions possibles" box, with its small form
    when it has one."""
    action = choice(action)
    box = page.locator("section.workflow-actions")
    summary = box.locator("summary", has_text=action)
    if summary.count():
        summary.click()
        if comment:
            box.get_by_label(re.compile(t("Commentaire"))).fill(comment)
        box.get_by_role("button", name=t("Confirmer : %(action)s", action=action)).click()
    else:
        box.get_by_role("button", name=action, exact=True).click()
    page.wait_for_load_state("load")


def follow_remedy(page, action, remedy):
    """A blocked action (its French label) says why and links to where it is fixed: follow it."""
    button = page.get_by_role("button", name=choice(action), exact=True)
    block = page.locator("section.workflow-actions .workflow-action", has=button)
    expect(block.get_by_role("button", name=choice(action), exact=True)).to_be_disabled()
    block.get_by_role("link", name=t(remedy)).click()
    page.wait_for_load_state("load")


def done(action):
    """The message after a workflow action (its French label): « … » : c'est fait."""
    return t_re("« %(action)s » : c'est fait. Nouvel état : %(state)s.", action=re.escape(choice(action)))


def check_eligibility_and_give_opinion(page):
    """« Déclarer recevable » waits for the checklist, and leads to it."""
    follow_remedy(page, "Déclarer recevable", "Compléter la grille de recevabilité")
    expect(page).to_have_url(re.compile(r"#eligibility-title$"))
    for answer in page.get_by_label(t("Satisfait"), exact=True).all():
        answer.check()
    page.get_by_role("button", name=t("Enregistrer la grille")).click()
    expect(page.get_by_text(t("Grille de recevabilité enregistrée."))).to_be_visible()
    opinion = page.get_by_role("group", name=t("Avis de l'association régionale"))
    opinion.get_by_label(choice("Favorable"), exact=True).check()
    page.get_by_label(t("Motifs")).fill("Projet attendu par les associations de locataires du quartier.")
    page.get_by_role("button", name=t("Enregistrer l'avis")).click()
    expect(page.get_by_text(t("Avis de l'association régionale enregistré."))).to_be_visible()
    visit(page, "assessment-checked")


def declare_eligible_from_two_tabs(page):
    """The same action fired from two tabs: the first wins, the second is told to reload."""
    second = page.context.new_page()
    second.goto(page.url)
    fire(page, "Déclarer recevable")
    expect(page.get_by_text(done("Déclarer recevable"))).to_be_visible()
    fire(second, "Déclarer recevable")
    expect(second.get_by_role("alert").filter(has_text=t(STALE)).first).to_be_visible()
    visit(second, "two-tabs-workflow-stale")
    second.close()
    page.reload()


def assign_two_reviewers_and_start_review(page):
    """The picker shows each member with e-mail and organisation; the conflicted one is there,
    greyed, with the reason; a search narrows the list. « Lancer la notation » waits for them, and
    leads to the picker."""
    follow_remedy(page, "Lancer la notation", "Désigner les évaluateurs")
    expect(page).to_have_url(re.compile(r"#reviewers-title$"))
    picker = page.get_by_role("group", name=t("Membres du comité à désigner"))
    expect(picker.get_by_role("checkbox", name=re.compile(CONFLICTED))).to_be_disabled()
    expect(picker).to_contain_text(t("conflit d'intérêts : %(source)s", source=choice("Même organisme")))
    picker.get_by_label(t("Rechercher")).fill(REVIEWERS[0].split()[0].lower())
    expect(picker.get_by_role("checkbox", name=re.compile(REVIEWERS[1]))).to_be_hidden()
    picker.get_by_label(t("Rechercher")).fill("")
    for name in REVIEWERS:
        picker.get_by_role("checkbox", name=re.compile(name)).check()
    page.get_by_role("button", name=t("Désigner"), exact=True).click()
    expect(page.get_by_text(t("%(num)d évaluateurs désignés.", num=2))).to_be_visible()
    reviewers = page.locator("section", has=page.get_by_role("heading", name=t("Évaluateurs")))
    for name in REVIEWERS:
        expect(reviewers).to_contain_text(name)
    conflicts = page.locator("section", has=page.get_by_role("heading", name=t("Conflits d'intérêts")))
    expect(conflicts).to_contain_text(f"{CONFLICTED} — {choice('Même organisme')}")
    fire(page, "Lancer la notation")
    expect(page.get_by_text(done("Lancer la notation"))).to_be_visible()
    visit(page, "reviewers-assigned")


def conflicted_member_cannot_open_it(page, application_url, reference):
    """Not in their queue; the application and its reviews answer 404, as if they did not exist."""
    go_to_menu(page, "Mes évaluations")
    expect(page.get_by_role("main")).not_to_contain_text(reference)
    application_id = application_url.rstrip("/").rsplit("/", 1)[-1]
    for address in (application_url, f"/review/applications/{application_id}/reviews"):
        response = page.goto(address)
        assert response.status == 404, (address, response.status)
        expect(page.get_by_role("heading", level=1)).to_have_text(t("Page introuvable"))
    visit(page, "conflicted-member-404")


def score(page, reference, scores, recommendation, first_try_invalid=False):
    go_to_menu(page, "Mes évaluations")
    visit(page, "reviewer-queue")
    page.get_by_role("row", name=re.compile(reference)).get_by_role("link", name=t("Évaluer"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Évaluation de %(ref)s", ref=reference))
    for label, value in scores.items():
        page.get_by_label(label, exact=True).fill(value)
        page.get_by_label(t("Commentaire sur « %(label)s »", label=label)).fill(f"Appréciation sur {label.lower()}.")
    page.get_by_label(choice(recommendation), exact=True).check()
    page.get_by_label(choice("3 — élevée (mon domaine)")).check()
    page.get_by_label(t("Appréciation générale")).fill("Projet solide et évaluable.")
    if first_try_invalid:
        # The form is novalidate: 7 on a 0–5 scale reaches the server, whose French message sits
        # next to the field (not the browser's bubble), and nothing is submitted.
        first = page.get_by_label(next(iter(scores)), exact=True)
        first.fill("7")
        page.get_by_role("button", name=t("Soumettre l'évaluation")).click()
        expect_error_next_to(first, t("La note doit être comprise entre %(min)s et %(max)s.", min=0, max=5))
        expect(page.get_by_text(t("Évaluation soumise."))).to_have_count(0)
        first.fill(next(iter(scores.values())))
    page.get_by_role("button", name=t("Soumettre l'évaluation")).click()
    expect(page.get_by_text(t("Évaluation soumise."))).to_be_visible()
    visit(page, "review-submitted")


def ranking_and_workflow_diagram(page, call_title, reference):
    """The call's ranking lists the application with its figures; the workflow diagram, drawn in
    the browser by the vendored Mermaid, highlights the state it reached."""
    go_to_menu(page, "Instruction")
    page.get_by_role("row", name=re.compile(re.escape(call_title))).get_by_role("link", name=t("Classement")).click()
    expect(page.get_by_role("row", name=re.compile(reference))).to_contain_text(shown("76.67"))
    visit(page, "call-ranking")
    go_to_menu(page, "Circuits")
    page.get_by_role("link", name=choice("Dossier de candidature (circuit régional)")).click()
    page.get_by_label(t("Mettre en évidence l'état")).select_option(label=choice("Subvention accordée"))
    page.get_by_role("button", name=t("Afficher")).click()
    expect(page.get_by_text(t("État courant :"))).to_contain_text(choice("Subvention accordée"))
    expect(page.locator("#workflow-diagram svg")).to_be_visible()
    visit(page, "workflow-diagram")
