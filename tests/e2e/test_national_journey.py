"""The FSI's national circuit in a real browser (French): a call in that circuit, a file scored by
the regional committee, the association's opinion, the transmissions aimed at a session of the
comité des aides, and the CGLLS's decision with its notification. Every page is checked with
axe-core and the browser's console (helpers.visit)."""
import pytest

from tests.e2e.helpers import BROWSER_ERRORS, log_in, signed_in_pages, t, typed
from tests.e2e.steps import applications, calls, committee, national, review
from tests.e2e.test_journey import APPLICANT, REVIEWER, REVIEWER_2, STAFF

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def pages(new_page):
    return signed_in_pages(new_page, {"staff": STAFF, "applicant": APPLICANT})


@pytest.fixture(scope="module")
def journey():
    return {"call_title": "FSI 2027 — circuit national du parcours navigateur"}


def test_staff_open_a_call_in_the_national_circuit(pages, journey):
    calls.open_call_with_grid(pages("staff"), journey["call_title"], circuit="Dossier FSI (décision nationale)")


def test_the_applicant_files_a_complete_application(pages, journey):
    page = pages("applicant")
    journey["application_url"], journey["reference"] = applications.start_draft(page, journey["call_title"])
    applications.fill_first_visit(page)
    applications.open_section(page, "Budget")
    applications.fill_budget_lines(page)
    page.get_by_label(t("Montant de subvention demandé (€)")).fill(typed("25000"))
    applications.save_section(page)
    applications.open_section(page, "Calendrier")
    applications.complete_timeline_and_results(page)
    applications.attach_pdf(page)
    applications.submit(page, journey["application_url"], journey["reference"])


def test_staff_check_it_and_the_committee_scores_it(pages, new_page, journey):
    page = pages("staff")
    journey["assessment_url"] = review.open_assessment(page, journey["call_title"], journey["reference"])
    review.check_eligibility_and_give_opinion(page)
    review.fire(page, "Déclarer recevable")
    review.assign_two_reviewers_and_start_review(page)
    for reviewer, scores in ((REVIEWER, {"Caractère innovant": "4", "Impact pour les locataires": "5",
                                         "Reproductibilité": "3"}),
                             (REVIEWER_2, {"Caractère innovant": "3", "Impact pour les locataires": "4",
                                           "Reproductibilité": "4"})):
        member = new_page()
        log_in(member, reviewer)
        review.score(member, journey["reference"], scores, "Financer")
        member.context.close()


def test_the_regional_committee_gives_the_association_s_opinion(pages, journey):
    page = pages("staff")
    committee.close_review(page, journey["assessment_url"])
    journey["session_url"] = committee.schedule_session(page, journey["assessment_url"], journey["reference"])
    national.give_the_opinion_in_session(page, journey["session_url"], journey["reference"])


def test_staff_send_the_file_to_the_federation_then_the_cglls(pages, journey):
    page = pages("staff")
    national.add_a_session_to_the_calendar(page)
    national.send_on(page, journey["application_url"], journey["reference"], "Transmettre à la fédération",
                     "Transmis à la fédération")
    national.send_on(page, journey["application_url"], journey["reference"], "Transmettre à la CGLLS",
                     "Transmis à la CGLLS")


def test_staff_record_the_cglls_decision_with_its_notification(pages, journey):
    national.record_the_national_grant(pages("staff"), journey["application_url"], journey["reference"])


def test_the_applicant_reads_the_opinion_letter_and_the_notification(pages, journey):
    national.applicant_reads_the_opinion_and_the_notification(pages("applicant"), journey["application_url"],
                                                              journey["reference"])


def test_the_browser_reported_nothing_wrong():
    assert BROWSER_ERRORS == []
