"""The FSI's national circuit in the browser: the regional committee gives the association's
opinion, staff keep the comité des aides' calendar, send the file on to the federation then to
the CGLLS, and record its decision with the notification the applicant then reads."""
import re
from datetime import timedelta

from playwright.sync_api import expect

from fsi.i18n import today
from tests.e2e.helpers import choice, go_to_menu, t, t_re, typed, visit
from tests.e2e.steps.applications import tiny_pdf
from tests.e2e.steps.committee import open_session_mode

GIVE_OPINION = "Rendre l'avis de l'AR"
NATIONAL_SESSION = "Comité des aides de la CGLLS — parcours navigateur"
MEETS_ON = today() + timedelta(days=45)


def give_the_opinion_in_session(page, session_url, reference):
    """At the regional session, the committee gives the association's opinion: no amount, no grant."""
    item = open_session_mode(page, session_url, reference)
    expect(item.get_by_label(t("Montant (€)"))).to_have_count(0)
    item.get_by_role("button", name=t("Enregistrer : %(o)s", o=choice(GIVE_OPINION))).click()
    expect(page.get_by_text(t("Décision enregistrée pour %(reference)s.", reference=reference))).to_be_visible()
    visit(page, "national-opinion-given")
    page.get_by_role("button", name=t("Envoyer toutes les lettres retenues")).click()
    page.get_by_role("button", name=t("Clore la séance")).click()
    expect(page.get_by_text(t("Séance close ; le procès-verbal est figé."))).to_be_visible()


def add_a_session_to_the_calendar(page):
    go_to_menu(page, "Séances")
    page.get_by_role("link", name=t("Calendrier du comité des aides (CGLLS)")).click()
    visit(page, "national-calendar")
    page.get_by_label(t("Date de la séance")).fill(MEETS_ON.isoformat())
    page.get_by_label(t("Intitulé")).fill(NATIONAL_SESSION)
    page.get_by_role("button", name=t("Ajouter")).click()
    expect(page.get_by_text(t("Séance ajoutée au calendrier."))).to_be_visible()
    expect(page.get_by_role("rowheader", name=NATIONAL_SESSION)).to_be_visible()


def send_on(page, application_url, reference, step, state):
    """From the application's actions, the step's page: the date sent and the session aimed at."""
    page.goto(application_url)
    page.locator("section.workflow-actions").get_by_role("link", name=f"{choice(step)}…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Transmettre le dossier %(reference)s",
                                                                reference=reference))
    visit(page, f"transmit-{step}")
    page.get_by_label(t("Séance du comité des aides visée")).select_option(
        label=f"{MEETS_ON.strftime('%d/%m/%Y')} — {NATIONAL_SESSION}")  # the journey runs in French
    page.get_by_role("button", name=t("Confirmer : %(action)s", action=choice(step))).click()
    expect(page.get_by_text(t_re("Dossier %(reference)s transmis : %(step)s.", reference=re.escape(reference))))\
        .to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(choice(state))


def record_the_national_grant(page, application_url, reference, amount="25000"):
    """The CGLLS's notification is uploaded with its decision; the applicant will read it."""
    page.goto(application_url)
    step = "Enregistrer l'accord de la CGLLS"
    page.locator("section.workflow-actions").get_by_role("link", name=f"{choice(step)}…").click()
    visit(page, "national-decision")
    page.get_by_label(choice(step)).check()
    page.get_by_label(t("Montant accordé (€)")).fill(typed(amount))
    page.get_by_label(t("Notification de la CGLLS (PDF)")).set_input_files(
        {"name": "notification-cglls.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()})
    page.get_by_role("button", name=t("Enregistrer la décision")).click()
    expect(page.get_by_text(t_re("Décision nationale enregistrée pour %(reference)s : %(step)s.",
                                 reference=re.escape(reference)))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(choice("Subvention accordée par la CGLLS"))


def applicant_reads_the_opinion_and_the_notification(page, application_url, reference):
    page.goto(application_url)
    main = page.get_by_role("main")
    expect(main).to_contain_text(choice("Subvention accordée par la CGLLS"))
    expect(main).to_contain_text(t("Reçu le"))
    expect(page.get_by_role("link", name=t("Notification de la CGLLS")).first).to_be_visible()
    visit(page, "national-application-granted")
    go_to_menu(page, "Décisions du comité")
    page.get_by_role("row", name=re.compile(reference)).get_by_role("link", name=t("Lire la lettre")).click()
    letter = page.get_by_role("main")
    expect(letter).to_contain_text(t_re("L'association régionale a rendu un avis %(opinion)s sur votre projet.",
                                        opinion="favorable"))
    expect(letter).not_to_contain_text("accorder une subvention")
    visit(page, "national-opinion-letter")
