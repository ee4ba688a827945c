"""Funded projects in a real browser (French), on two grants of the demo (``flask fsi seed-demo``):
a 60 000 € CGLLS grant whose agreement is still to sign, carried to its balance through the
advance, the progress report and a final report spending less than planned; and a grant under
way, abandoned after its advance, whose clawback is recorded as received. Every page is checked
with axe-core and the browser's console (helpers.visit)."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import BROWSER_ERRORS, money_re, signed_in_pages, t, t_re
from tests.e2e.steps import funding
from tests.e2e.test_journey import STAFF

pytestmark = pytest.mark.e2e

#: granted 60 000 € by the CGLLS, agreement to sign (fsi.review.demo.NATIONAL_PROJECTS); planned
#: spending 150 000 €, rate 50 %: a final report declaring 100 000 € makes 50 000 € due
GRANT = "Jardins partagés en pied d'immeuble"
LEAD = "porteur9@demo.fsi"
#: 18 000 € granted below the agreement threshold, started with its notification
ABANDONED = "Conciergerie solidaire de quartier"


@pytest.fixture(scope="module")
def pages(new_page):
    return signed_in_pages(new_page, {"staff": STAFF, "lead": LEAD})


@pytest.fixture(scope="module")
def journey():
    return {}


def test_staff_record_the_signed_agreement(pages, journey):
    page = pages("staff")
    journey["project_url"] = funding.open_project(page, GRANT)
    funding.expect_figures(page, granted="60000", paid="0")
    funding.sign_the_agreement(page, journey["project_url"])
    funding.expect_figures(page, granted="60000", paid="0", remaining="60000")
    expect(funding.tranche_row(page, "Solde")).to_contain_text(re.compile(money_re("30000")))


def test_staff_pay_the_advance(pages, journey):
    page = pages("staff")
    funding.pay_tranche(page, journey["project_url"], "Avance", "30000")
    funding.expect_figures(page, paid="30000", remaining="30000")


def test_the_lead_submits_the_progress_report_and_staff_accept_it(pages, journey):
    funding.write_and_submit_report(pages("lead"), journey["project_url"], "Rapport d'étape", "60000")
    funding.accept_report(pages("staff"), journey["project_url"], "Rapport d'étape")


def test_the_final_report_spending_less_sets_what_is_due(pages, journey):
    funding.write_and_submit_report(pages("lead"), journey["project_url"], "Bilan final", "100000",
                                    doc="08-bilan-final")
    page = pages("staff")
    funding.accept_report(page, journey["project_url"], "Bilan final")
    funding.expect_figures(page, granted="60000", paid="30000", due="50000", remaining="20000")
    tranches = page.get_by_role("region", name=t("Versements"), exact=True)
    expect(tranches).to_contain_text(re.compile(rf"{money_re('100000')}.*{money_re('50000')}", re.S))
    expect(tranches).to_contain_text(re.compile(rf"50\s?%\s?×\s?{money_re('100000')}\s?=\s?{money_re('50000')}"))
    expect(funding.tranche_row(page, "Solde")).to_contain_text(re.compile(money_re("20000")))


def test_staff_pay_the_balance(pages, journey):
    page = pages("staff")
    funding.pay_tranche(page, journey["project_url"], "Solde", "20000")
    funding.expect_figures(page, paid="50000", remaining="0")
    funding.visit_tall(page, "funding-project-paid", doc="07-projet-finance", height=1650)


def test_a_project_abandoned_after_its_advance_pays_back_the_rest(pages, journey):
    page = pages("staff")
    url = funding.open_project(page, ABANDONED)
    funding.pay_tranche(page, url, "Avance", "9000")
    funding.abandon(page, url, "3000", "Le local prévu pour la conciergerie n'est plus disponible.")
    page.goto(url)
    expect(page.get_by_role("region", name=t("Versements"), exact=True)).to_contain_text(
        t_re("Reste dû : %(amount)s. Motif : %(reason)s", amount=money_re("3000"), reason=".+"))
    funding.record_clawback_received(page, url, "6000")


def test_the_browser_reported_nothing_wrong():
    assert BROWSER_ERRORS == []
