"""The FSI journey in a real browser, step by step, as its users go through it: in French, then
again in English (a call, an application and a session of its own, on the same server).

The steps run in order on one server and one browser; each step depends on the ones before
(after a failure the rest are skipped). Every page visited is checked with axe-core and the
browser's console, and screenshotted (see helpers.visit).
"""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    BROWSER_ERRORS,
    JOURNEY,
    choice,
    choose_language,
    expect_error_next_to,
    focus_outline,
    go_to_menu,
    log_in,
    log_in_with_keyboard,
    log_out,
    t,
    visit,
)
from tests.e2e.steps import applications, calls, committee, review

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("language")]

APPLICANT = "porteur@demo.fsi"
STAFF = "instructeur@demo.fsi"
ADMIN = "admin@demo.fsi"
REVIEWER = "comite@demo.fsi"
REVIEWER_2 = "comite2@demo.fsi"
CONFLICTED_REVIEWER = "comite3@demo.fsi"  # same organisation as the applicant
OTHER_APPLICANT = "porteur2@demo.fsi"  # another housing body


@pytest.fixture(scope="module", params=["fr", "en"])
def language(request):
    """The journey's language: every step runs in French, then again in English."""
    JOURNEY["language"] = request.param
    BROWSER_ERRORS.clear()
    yield request.param
    JOURNEY["language"] = "fr"


@pytest.fixture(scope="module")
def pages(new_page, language):
    """One browser page per person, each in its own context, opened on first use."""
    opened = {}

    def page_of(who):
        if who not in opened:
            opened[who] = new_page()
        return opened[who]

    return page_of


# --- Signing in ---

def test_login_page_is_accessible_and_keyboard_focus_is_visible(pages):
    page = pages("anonymous")
    page.goto("/")  # the public home: « Se connecter » in the header leads to the sign-in page
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    choose_language(page)
    page.get_by_role("link", name=t("Se connecter"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("heading", name=t("Connexion"))).to_be_visible()
    visit(page, "login", doc="01-connexion")

    page.get_by_label(t("Adresse de courriel")).focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if focus_outline(page)["text"] == t("Se connecter") and focus_outline(page)["tag"] == "BUTTON":
            break
    focused = focus_outline(page)
    assert (focused["tag"], focused["text"]) == ("BUTTON", t("Se connecter")), focused
    assert focused["style"] != "none" and focused["width"] >= 2, focused


def test_wrong_password_is_refused_next_to_the_field(pages):
    page = pages("anonymous")
    log_in(page, APPLICANT, password="pas-le-bon-mot-de-passe", succeeds=False)
    expect_error_next_to(page.get_by_label(t("Mot de passe")), t("Adresse de courriel ou mot de passe incorrect."))
    expect(page).to_have_url(re.compile(r"/login"))
    visit(page, "login-wrong-password")


def test_empty_login_form_shows_each_error_next_to_its_field(pages):
    page = pages("anonymous")
    page.goto("/login")
    page.get_by_role("button", name=t("Se connecter")).click()
    expect_error_next_to(page.get_by_label(t("Adresse de courriel")), t("Saisissez votre adresse de courriel."))
    expect_error_next_to(page.get_by_label(t("Mot de passe")), t("Saisissez votre mot de passe."))
    visit(page, "login-empty")


@pytest.mark.parametrize("email, role_label", [
    (APPLICANT, "Porteur de projet"),
    (REVIEWER, "Membre du comité"),
    (STAFF, "Chargé(e) de mission"),
    (ADMIN, "Administrateur"),
])
def test_each_role_lands_on_its_home_page(new_page, email, role_label):
    page = new_page()
    log_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Bonjour %(name)s", name=""))
    expect(page.get_by_role("main")).to_contain_text(choice(role_label))
    expect(page.get_by_role("button", name=t("Se déconnecter"))).to_be_visible()
    visit(page, f"home-{email.split('@')[0]}")
    page.context.close()


def test_language_switch_to_the_other_language_and_back(pages, language):
    page = pages("applicant")
    log_in(page, APPLICANT)
    other, switch, back = ("en", "English", "Français") if language == "fr" else ("fr", "Français", "English")
    page.get_by_role("button", name=switch).click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hello Camille Martin" if other == "en" else "Bonjour Camille Martin")
    expect(page.get_by_role("button", name="Sign out" if other == "en" else "Se déconnecter")).to_be_visible()
    visit(page, f"home-switched-to-{other}")
    page.get_by_role("button", name=back).click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Bonjour %(name)s", name="Camille Martin"))


def test_unknown_page_shows_the_404_page(pages):
    page = pages("applicant")
    response = page.goto("/cette-page-n-existe-pas")
    assert response.status == 404
    expect(page.get_by_role("heading", name=t("Page introuvable"))).to_be_visible()
    expect(page.get_by_role("link", name=t("Retour à l'accueil"))).to_be_visible()
    visit(page, "error-404")


def test_staff_only_page_is_refused_to_an_applicant(pages):
    page = pages("applicant")
    response = page.goto("/admin/users")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Accès refusé"))
    visit(page, "error-403")


def test_admin_lists_the_users_and_staff_the_organisations(new_page):
    page = new_page()
    log_in(page, ADMIN)
    go_to_menu(page, "Utilisateurs")
    expect(page.get_by_role("cell", name=APPLICANT)).to_be_visible()
    visit(page, "admin-users")
    go_to_menu(page, "Organismes")
    expect(page.get_by_role("link", name="Phocéa Habitat")).to_be_visible()
    visit(page, "admin-organisations")
    page.context.close()


def test_logging_out_returns_to_the_login_page(pages):
    page = pages("applicant")
    page.goto("/")
    log_out(page)
    expect(page.get_by_text(t("Vous êtes déconnecté."))).to_be_visible()
    visit(page, "logged-out")



# --- Staff open a call with a scoring grid ---

@pytest.fixture(scope="module")
def journey(language):
    """What the steps pass on to the next ones (the call's address, the application's...)."""
    suffix = "" if language == "fr" else f" ({language})"  # one call per pass, the README's pictures plain
    return {"call_title": f"Innovation sociale 2027 — parcours navigateur{suffix}"}


def test_staff_open_a_call_with_a_scoring_grid(pages, journey):
    page = pages("staff")
    log_in(page, STAFF)
    journey["call_url"] = calls.open_call_with_grid(page, journey["call_title"])


def test_call_form_refuses_bad_dates_and_amounts(pages):
    calls.invalid_call_dates_are_refused_next_to_the_field(pages("staff"))


# --- An applicant fills the form over two visits, is told what is missing, submits ---

def test_applicant_starts_a_draft_and_fills_contact_and_project(pages, journey):
    page = pages("applicant")
    log_in(page, APPLICANT)
    journey["application_url"], journey["reference"] = applications.start_draft(page, journey["call_title"])
    applications.fill_first_visit(page)
    log_out(page)


def test_applicant_comes_back_with_the_keyboard_alone_and_finds_the_draft_kept(pages, journey):
    page = pages("applicant")
    log_in_with_keyboard(page, APPLICANT)
    applications.draft_was_kept(page, journey["reference"])


def test_invalid_budget_is_refused_next_to_the_field(pages):
    applications.invalid_budget_is_refused_next_to_the_field(pages("applicant"))


def test_budget_stays_within_the_award_calculator(pages):
    applications.budget_within_the_calculator(pages("applicant"))


def test_submission_is_blocked_with_the_list_of_what_is_missing(pages, journey):
    applications.blocked_submission_lists_what_is_missing(pages("applicant"), journey["application_url"])


def test_applicant_completes_the_timeline_results_and_attaches_a_pdf(pages):
    page = pages("applicant")
    applications.complete_timeline_and_results(page)
    applications.attach_pdf(page)


def test_same_section_saved_from_two_tabs_is_refused_the_second_time(pages, journey):
    applications.same_section_saved_from_two_tabs(pages("applicant"), journey["application_url"])


def test_applicant_submits_the_complete_application(pages, journey):
    applications.submit(pages("applicant"), journey["application_url"], journey["reference"])


def test_another_organisation_cannot_see_the_application(new_page, journey):
    page = new_page()
    log_in(page, OTHER_APPLICANT)
    applications.another_organisation_cannot_see_it(page, journey["application_url"], journey["reference"])
    page.context.close()


# --- Staff assess the application, committee members score it ---

def test_staff_check_eligibility_and_give_the_regional_opinion(pages, journey):
    page = pages("staff")
    journey["assessment_url"] = review.open_assessment(page, journey["call_title"], journey["reference"])
    review.check_eligibility_and_give_opinion(page)


def test_declaring_eligible_from_two_tabs_tells_the_second_to_reload(pages):
    review.declare_eligible_from_two_tabs(pages("staff"))


def test_staff_assign_two_reviewers_but_never_the_conflicted_member(pages):
    review.assign_two_reviewers_and_start_review(pages("staff"))


def test_conflicted_member_cannot_open_the_application(new_page, journey):
    page = new_page()
    log_in(page, CONFLICTED_REVIEWER)
    review.conflicted_member_cannot_open_it(page, journey["application_url"], journey["reference"])
    page.context.close()


@pytest.mark.parametrize("reviewer, scores, recommendation", [
    (REVIEWER, {"Caractère innovant": "4", "Impact pour les locataires": "5", "Reproductibilité": "3"}, "Financer"),
    (REVIEWER_2, {"Caractère innovant": "3", "Impact pour les locataires": "4", "Reproductibilité": "4"},
     "Financer sous conditions"),
], ids=["first-reviewer", "second-reviewer"])
def test_two_committee_members_score_the_application(new_page, journey, reviewer, scores, recommendation):
    page = new_page()
    log_in(page, reviewer)
    review.score(page, journey["reference"], scores, recommendation, first_try_invalid=reviewer == REVIEWER)
    page.context.close()


# --- The committee session decides; the applicant reads the letter ---

def test_staff_close_the_review_and_schedule_a_committee_session(pages, journey):
    page = pages("staff")
    committee.close_review(page, journey["assessment_url"])
    journey["session_url"] = committee.schedule_session(page, journey["assessment_url"], journey["reference"])


def test_a_member_follows_the_item_under_discussion_live(pages, journey):
    member = pages("reviewer")
    log_in(member, REVIEWER)
    committee.member_follows_the_item_live(pages("staff"), member, journey["session_url"], journey["reference"])


def test_the_chair_approves_within_the_envelope(pages, journey):
    committee.approve_within_the_envelope(pages("staff"), journey["session_url"], journey["reference"])


def test_letters_are_released_and_the_session_closed_with_its_minutes(pages, journey):
    journey["letter_url"] = committee.release_letters_and_close(pages("staff"), journey["reference"])


def test_the_applicant_reads_the_decision_letter(pages, journey):
    committee.applicant_reads_the_decision(pages("applicant"), journey["reference"], journey["letter_url"])


def test_staff_read_the_ranking_and_the_workflow_diagram(pages, journey):
    review.ranking_and_workflow_diagram(pages("staff"), journey["call_title"], journey["reference"])


def test_the_browser_reported_nothing_wrong(pages):
    """No console error nor failed resource on any page of the journey (a favicon included)."""
    assert BROWSER_ERRORS == []
