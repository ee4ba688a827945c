"""The committee session: staff schedule it, the chair runs it and approves within the envelope,
members follow it live, the applicant reads the decision letter."""
import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from tests.e2e.helpers import JOURNEY, choice, go_to_menu, money_re, shown, t, t_re, typed, visit
from tests.e2e.steps.applications import PROJECT_TITLE
from tests.e2e.steps.calls import PARIS, local_input
from tests.e2e.steps.review import CONFLICTED, REVIEWERS, done, fire, follow_remedy

CHAIR = "Claire Dubois"
APPROVE = "Accorder la subvention"


def session_title():
    suffix = "" if JOURNEY["language"] == "fr" else f" ({JOURNEY['language']})"
    return f"Comité FSI — séance du parcours navigateur{suffix}"


def close_review(page, assessment_url):
    page.goto(assessment_url)
    fire(page, "Clore la notation")
    expect(page.get_by_text(done("Clore la notation"))).to_be_visible()


def schedule_session(page, assessment_url, reference):
    """« Inscrire à l'ordre du jour » waits for a planned session and leads to planning one; the
    reviewed application on its agenda; the session brought forward, everyone present. Returns
    the session's address."""
    page.goto(assessment_url)
    follow_remedy(page, "Inscrire à l'ordre du jour", "Programmer une séance")
    page.get_by_label(t("Intitulé")).fill(session_title())
    page.get_by_label(t("Date et heure (heure de Paris)")).fill(local_input(datetime.now(PARIS) + timedelta(hours=2)))
    page.get_by_label(t("Lieu")).fill("Marseille, siège de l'association régionale")
    page.get_by_label(t("Quorum (membres présents sans conflit)")).fill("2")
    page.get_by_label(t("Président(e) de séance")).select_option(label=f"{CHAIR} (instructeur@demo.fsi)")
    members = page.get_by_role("group", name=t("Membres"))
    for name in (*REVIEWERS, CONFLICTED):
        members.get_by_role("checkbox", name=re.compile(name)).check()
    visit(page, "session-new")
    page.get_by_role("button", name=t("Programmer"), exact=True).click()
    expect(page.get_by_text(t("Séance programmée."))).to_be_visible()

    page.get_by_label(t("Dossier noté à inscrire")).select_option(label=f"{reference} — {PROJECT_TITLE}")
    page.get_by_role("button", name=t("Inscrire à l'ordre du jour")).click()
    expect(page.get_by_text(t("Dossier inscrit à l'ordre du jour."))).to_be_visible()
    agenda_row = page.get_by_role("row", name=re.compile(reference))
    expect(agenda_row).to_contain_text(CONFLICTED)  # leaves the room for this item
    session_url = page.url
    # Planned two hours from now, the committee meets at once: staff bring the session forward.
    expect(page.get_by_role("main")).to_contain_text(t("Les présences se prennent une fois la séance commencée."))
    page.get_by_role("button", name=t("Avancer la séance : elle se tient maintenant")).click()
    expect(page.get_by_text(t("La séance est avancée : elle se tient maintenant (date enregistrée)."))).to_be_visible()
    page.goto(session_url)
    for name in (*REVIEWERS, CONFLICTED):
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name=t("Enregistrer les présences")).click()
    expect(page.get_by_text(t("Présences enregistrées."))).to_be_visible()
    visit(page, "session-prepared")
    return page.url


def open_session_mode(page, session_url, reference):
    page.goto(session_url)
    page.get_by_role("link", name=t("Mode séance")).click()
    item = page.locator("section", has=page.get_by_role("heading", name=re.compile(reference)))
    expect(item).to_contain_text(t("Quorum du point : %(c)s/%(q)s", c=2, q=2))
    return item


def member_follows_the_item_live(chair_page, member_page, session_url, reference):
    """The chair moves to the item; the member's live page shows it without reloading."""
    go_to_menu(member_page, "Séances")
    member_page.get_by_role("row", name=re.compile(re.escape(session_title()))).get_by_role(
        "link", name=t("Suivre en direct")).click()
    live = member_page.locator("#live-item")
    expect(live).to_contain_text(t("Aucun point en discussion pour le moment."))
    visit(member_page, "session-live")
    item = open_session_mode(chair_page, session_url, reference)
    item.get_by_role("button", name=t("Passer à ce point")).click()
    expect(live).to_contain_text(reference, timeout=15_000)


def approve_within_the_envelope(page, session_url, reference, amount="25000"):
    """More than requested is refused next to the item, the typed amount kept; the requested
    amount is approved."""
    item = open_session_mode(page, session_url, reference)
    visit(page, "session-run", doc="05-seance-comite")
    amount_field = f"{t('Montant (€)')}, {choice(APPROVE)}"
    record = t("Enregistrer : %(o)s", o=choice(APPROVE))
    item.get_by_label(amount_field).fill(typed("40000"))
    item.get_by_role("button", name=record).click()
    too_much = t_re("Le montant accordé (%(amount)s) dépasse le montant demandé (%(requested)s).")
    expect(page.get_by_role("alert").filter(has_text=too_much)).to_be_visible()
    item = page.locator("section", has=page.get_by_role("heading", name=re.compile(reference)))
    expect(item.get_by_label(amount_field)).to_be_focused()
    item.get_by_label(amount_field).fill(typed(amount))
    item.get_by_label(f"{t('Commentaire')}, {choice(APPROVE)}").fill("Le comité salue le caractère reproductible du projet.")
    item.get_by_role("button", name=record).click()
    expect(page.get_by_text(t("Décision enregistrée pour %(reference)s.", reference=reference))).to_be_visible()
    expect(item).to_contain_text(t("Lettre retenue"))
    # The call's envelope of 300 000 € now has 275 000 € left.
    expect(page.get_by_role("main")).to_contain_text(re.compile(re.escape(t("Reste disponible")) + r"\s*"
                                                                 + money_re("275000")))
    visit(page, "session-decided")


def release_letters_and_close(page, reference):
    """Returns the address of the decision letter."""
    page.get_by_role("button", name=t("Envoyer toutes les lettres retenues")).click()
    expect(page.get_by_text(t("%(count)s lettre(s) de décision envoyée(s).", count=1))).to_be_visible()
    item = page.locator("section", has=page.get_by_role("heading", name=re.compile(reference)))
    letter_url = item.get_by_role("link", name=t("Voir la lettre")).get_attribute("href")
    page.get_by_role("button", name=t("Clore la séance")).click()
    expect(page.get_by_text(t("Séance close ; le procès-verbal est figé."))).to_be_visible()
    page.get_by_role("link", name=t("Procès-verbal")).click()
    minutes = page.get_by_role("row", name=re.compile(reference))
    expect(minutes).to_contain_text(choice("Accordé"))
    expect(minutes).to_contain_text(CONFLICTED)
    visit(page, "session-minutes")
    return letter_url


def applicant_reads_the_decision(page, reference, letter_url):
    """The application shows the amount; "Décisions du comité" leads to the letter."""
    go_to_menu(page, "Mes dossiers")
    expect(page.get_by_role("row", name=re.compile(reference))).to_contain_text(choice("Subvention accordée"))
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("main")).to_contain_text(shown("25000"))
    visit(page, "application-approved")
    go_to_menu(page, "Décisions du comité")
    row = page.get_by_role("row", name=re.compile(reference))
    expect(row).to_contain_text(choice("Accordé"))
    visit(page, "my-decision-letters")
    row.get_by_role("link", name=t("Lire la lettre")).click()
    expect(page).to_have_url(re.compile(re.escape(letter_url) + "$"))
    letter = page.get_by_role("main")
    expect(letter).to_contain_text(t("Objet : %(reference)s — %(title)s", reference=reference, title=PROJECT_TITLE))
    granted = ("Nous avons le plaisir de vous informer que le comité a décidé de vous accorder une subvention "
               "de %(amount)s.")
    expect(letter).to_contain_text(t_re(granted, amount=money_re("25000")))
    visit(page, "decision-letter", doc="06-lettre-decision")
