"""What a funded project taught, carried to the other housing bodies, in a real browser (French),
on the demo data (``flask fsi seed-demo``): « Jardins partagés en pied d'immeuble » is carried to
its accepted final report and paid balance (the funding journey's steps), staff close it; its lead
writes the practice sheet from its prefill, staff return it once, then publish it; staff present
it at an Atelier; an anonymous visitor finds it in the public catalogue by a word of its lessons
typed without the accent, sees the Atelier, adds it to a calendar (.ics), subscribes to the Atom
feed and downloads the open data; another housing body declares it reproduced the practice.
Every page is checked with axe-core and the browser's console (helpers.visit)."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from fsi.i18n import today
from tests.e2e.helpers import BROWSER_ERRORS, choice, go_to_menu, money_re, signed_in_pages, t, visit
from tests.e2e.steps import dissemination, funding
from tests.e2e.steps.funding import visit_tall
from tests.e2e.test_journey import OTHER_APPLICANT, STAFF

pytestmark = pytest.mark.e2e

#: granted 60 000 € by the CGLLS, agreement to sign (see test_funding_journey)
GRANT = "Jardins partagés en pied d'immeuble"
LEAD = "porteur9@demo.fsi"
#: the final report's lessons (tests.e2e.steps.funding.write_and_submit_report), found in the prefill
REPORT_LESSON = "Confier une parcelle à l'école du quartier fédère les familles."
NEW_LESSON = ("Associer dès la conception l'équipe chargée de la réhabilitation de la résidence : "
              "les cheminements et les points d'eau sont prévus avant les travaux.")
RETURN_COMMENT = "Commentez le budget : combien a coûté une parcelle, et qu'est-ce qui a été moins cher que prévu ?"
BUDGET_NOTE = "Une parcelle a coûté environ 4 000 € ; la récupération des eaux de pluie a coûté moins que prévu."
EVENT = "Atelier : des jardins partagés au pied des immeubles"
#: the Atelier, three weeks ahead, 14 h 30 – 17 h in Paris
STARTS = dissemination.event_time(21, 14, 30)
ENDS = dissemination.event_time(21, 17, 0)


@pytest.fixture(scope="module")
def pages(new_page):
    return signed_in_pages(new_page, {"staff": STAFF, "lead": LEAD, "other": OTHER_APPLICANT})


@pytest.fixture(scope="module")
def visitor(new_page):
    """An anonymous visitor: a browser of its own, never signed in."""
    return new_page()


@pytest.fixture(scope="module")
def journey():
    return {}


def test_the_project_reaches_its_accepted_final_report_and_paid_balance(pages, journey):
    staff, lead = pages("staff"), pages("lead")
    url = journey["project_url"] = funding.open_project(staff, GRANT)
    funding.sign_the_agreement(staff, url)
    funding.pay_tranche(staff, url, "Avance", "30000")
    funding.write_and_submit_report(lead, url, "Rapport d'étape", "60000")
    funding.accept_report(staff, url, "Rapport d'étape")
    funding.write_and_submit_report(lead, url, "Bilan final", "100000")
    funding.accept_report(staff, url, "Bilan final")
    funding.pay_tranche(staff, url, "Solde", "20000")
    funding.expect_figures(staff, paid="50000", remaining="0")


def test_staff_close_the_project(pages, journey):
    journey["application_url"] = dissemination.close_project(pages("staff"), journey["project_url"])


def test_the_lead_writes_the_sheet_from_its_prefill(pages, journey):
    page = pages("lead")
    dissemination.start_sheet(page, GRANT)
    # the accepted final report's achievements and lessons are there, ready to be rephrased
    expect(dissemination.sheet_field(page, "Ce qui a été fait")).to_have_value(
        re.compile(re.escape("Les jardins sont aménagés")))
    lessons = dissemination.sheet_field(page, "Enseignements")
    expect(lessons).to_have_value(re.compile(re.escape(REPORT_LESSON)))
    expect(page.get_by_label(re.compile(rf"^{re.escape(t('Mesuré'))}")).first).to_have_value(
        "12 parcelles cultivées, 85 % de locataires satisfaits")
    lessons.fill(f"- {REPORT_LESSON}\n- {NEW_LESSON}")
    dissemination.fill_if_empty(page, "Résumé", "Des jardins partagés cultivés par les locataires au pied de "
                                                "leur résidence, avec l'école du quartier.")
    dissemination.fill_if_empty(page, "Le problème", "Des espaces verts délaissés au pied des immeubles.")
    dissemination.fill_if_empty(page, "Conditions pour reproduire la pratique",
                                "Un terrain accessible, un point d'eau et une association de locataires.")
    dissemination.fill_if_empty(page, "Contact : nom", "Claire Martin")
    dissemination.fill_if_empty(page, "Contact : adresse de courriel", "jardins@demo.fsi")
    dissemination.save_sheet(page)
    journey["sheet_url"] = page.url
    expect(page.get_by_role("region", name=t("Avant de soumettre"))).to_have_count(0)
    enseignements = page.locator("section.sheet-section", has=page.get_by_role("heading", name=t("Enseignements")))
    expect(enseignements.get_by_role("listitem")).to_have_text([REPORT_LESSON, NEW_LESSON])
    dissemination.submit_sheet(page)
    visit(page, "sheet-submitted")


def test_staff_return_the_sheet_once_and_the_lead_fixes_it(pages, journey):
    staff = pages("staff")
    dissemination.open_sheet_from_list(staff, GRANT)
    expect(staff.get_by_role("main")).to_contain_text(choice("En relecture"))
    visit(staff, "sheet-in-review")
    dissemination.act(staff, "Retourner la fiche", comment=RETURN_COMMENT)

    lead = pages("lead")
    lead.goto(journey["sheet_url"])
    expect(lead.get_by_role("main")).to_contain_text(choice("Retournée pour compléments"))
    expect(lead.get_by_role("main")).to_contain_text(RETURN_COMMENT)  # the timeline keeps the comment
    visit(lead, "sheet-returned")
    lead.get_by_role("link", name=t("Modifier la fiche")).click()
    dissemination.sheet_field(lead, "Budget (commentaire)").fill(BUDGET_NOTE)
    dissemination.save_sheet(lead)
    expect(lead.locator("section.sheet-section", has_text=BUDGET_NOTE)).to_be_visible()
    dissemination.submit_sheet(lead)


def test_staff_publish_the_sheet_and_the_application_is_disseminated(pages, journey):
    page = pages("staff")
    page.goto(journey["sheet_url"])
    dissemination.act(page, "Publier la fiche")
    expect(page.get_by_role("main")).to_contain_text(choice("Publiée"))
    expect(page.get_by_role("main")).to_contain_text(
        t("Publiée le %(date)s.", date=today().strftime("%d/%m/%Y")))
    visit_tall(page, "sheet-published", doc="13-fiche-experience", height=1300)
    page.goto(journey["application_url"])
    expect(page.get_by_role("main")).to_contain_text(choice("Capitalisé (fiche publiée)"))


def test_staff_create_an_atelier_presenting_the_sheet(pages, journey):
    dissemination.create_event(
        pages("staff"), title=EVENT, starts=STARTS, ends=ENDS,
        place="Maison de l'habitat\n12 rue des Jardiniers, 69003 Lyon",
        description="Le porteur présente ses **jardins partagés** et ce qu'il en a appris.", sheet_title=GRANT)


def test_an_anonymous_visitor_finds_the_sheet_without_the_accent(visitor, journey):
    page = visitor
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Fonds de soutien à l'innovation"))
    latest = page.get_by_role("region", name=t("Dernières fiches d'expérience"))
    expect(latest.get_by_role("link", name=GRANT)).to_be_visible()
    upcoming = page.get_by_role("region", name=t("Prochains ateliers et clubs"))
    expect(upcoming.get_by_role("link", name=EVENT)).to_be_visible()
    figures = page.get_by_role("region", name=t("Le fonds en chiffres"))
    expect(figures).to_contain_text(t("Fiches d'expérience publiées"))
    visit(page, "public-home", doc="14-accueil-public")
    go_to_menu(page, "Catalogue des fiches")
    page.get_by_label(t("Rechercher dans les fiches")).fill("rehabilitation")
    page.get_by_role("button", name=t("Rechercher")).click()
    result = page.locator("article.catalogue-item").filter(has=page.get_by_role("link", name=GRANT))
    expect(result).to_have_count(1)
    # the word of its lessons, typed without the accent, is marked in the snippet
    expect(result.locator(".catalogue-snippet mark").first).to_have_text(re.compile(r"^réhabilitation$", re.I))
    visit(page, "catalogue-search", doc="15-catalogue")
    journey["feed_href"] = page.get_by_role("link", name=t("S'abonner au flux des nouvelles fiches (Atom)")).get_attribute("href")
    result.get_by_role("link", name=GRANT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(GRANT)
    body = page.locator(".sheet-body")
    expect(body).to_contain_text(NEW_LESSON)
    expect(body).to_contain_text(BUDGET_NOTE)
    expect(page.get_by_role("region", name=t("Le projet en bref"))).to_contain_text(re.compile(money_re("60000")))
    visit_tall(page, "catalogue-sheet", height=1400)
    journey["public_sheet_url"] = page.url


def test_the_visitor_sees_the_atelier_and_adds_it_to_a_calendar(visitor, journey):
    page = visitor
    page.get_by_role("region", name=t("Présentée lors de")).get_by_role("link", name=EVENT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EVENT)
    expect(page.get_by_role("main")).to_contain_text(dissemination.event_kind("atelier"))
    presented = page.get_by_role("region", name=t("Fiches d'expérience présentées"))
    expect(presented.get_by_role("link", name=GRANT)).to_be_visible()
    expect(page.get_by_text(t("Connectez-vous pour vous inscrire"))).to_be_visible()
    visit(page, "event-public")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=t("Ajouter à mon agenda (.ics)")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    with open(download.path(), "rb") as handle:
        events = dissemination.parse_ics(handle.read())
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == EVENT
    starts = event.decoded("DTSTART")
    assert starts.utcoffset() is not None, "DTSTART must carry its time zone"
    assert starts == dissemination.paris_to_utc(STARTS)
    assert event.decoded("DTEND") == dissemination.paris_to_utc(ENDS)
    assert starts.astimezone(dissemination.PARIS).strftime("%H:%M") == "14:30"


def test_the_visitor_subscribes_to_the_feed_and_downloads_the_open_data(visitor, journey):
    page = visitor
    response = page.request.get(journey["feed_href"])
    assert response.ok and "atom" in response.headers["content-type"]
    feed = dissemination.parse_feed(response.text())
    assert not feed.bozo, feed.get("bozo_exception")
    entries = [entry for entry in feed.entries if entry.title == GRANT]
    assert len(entries) == 1
    assert entries[0].link.endswith(journey["public_sheet_url"].split("/catalogue/", 1)[1])

    go_to_menu(page, "Données ouvertes")
    expect(page.get_by_role("link", name="Licence Ouverte", exact=False)).to_be_visible()
    visit(page, "open-data")
    sheets = page.get_by_role("region", name=t("Fiches d'expérience publiées"))
    grants = page.get_by_role("region", name=t("Subventions accordées"))
    response = page.request.get(sheets.get_by_role("link", name=t("Télécharger en CSV")).get_attribute("href"))
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    rows = [row for row in dissemination.parse_csv(response.text()) if row["title"] == GRANT]
    assert len(rows) == 1
    assert rows[0]["grant"] == "60000.00"
    assert rows[0]["url"].endswith(journey["public_sheet_url"].split("/catalogue/", 1)[1])
    assert "@" not in response.text(), "the open data holds no e-mail address"
    response = page.request.get(grants.get_by_role("link", name=t("Télécharger en JSON")).get_attribute("href"))
    assert response.ok
    document = dissemination.parse_json(response.text())
    assert document["licence"]["name"].startswith("Licence Ouverte")
    grant = [record for record in document["data"] if record["title"] == GRANT]
    assert len(grant) == 1
    assert grant[0]["amount"] == "60000.00"
    assert grant[0]["reference"].startswith("FSI-")


def test_another_housing_body_declares_it_reproduced_the_practice(pages, visitor, journey):
    page = pages("other")
    page.goto(journey["public_sheet_url"])
    expect(page.get_by_role("heading", level=1)).to_have_text(GRANT)
    page.get_by_role("link", name=t("Déclarer avoir reproduit cette pratique")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Vous avez reproduit cette pratique ?"))
    page.get_by_label(t("Date de mise en œuvre")).fill((today() - timedelta(days=10)).isoformat())
    where = page.get_by_label(t("Où (département et EPCI)"))
    where.select_option(index=1)
    territory = where.locator("option:checked").inner_text()
    department, epci = territory.split(" — ", 1)
    department = department.rsplit(" (", 1)[0]
    page.get_by_label(t("En quelques mots")).fill("Trois jardins ouverts avec le centre social, sur le même modèle.")
    page.get_by_label(t("Contact : nom")).fill("Paul Durand")
    page.get_by_label(t("Contact : adresse de courriel")).fill("paul.durand@demo.fsi")
    visit(page, "reproduction-declare")
    page.get_by_role("button", name=t("Déclarer la reproduction")).click()
    expect(page.get_by_text(t("Merci : votre reproduction de la pratique est enregistrée."))).to_be_visible()
    reproductions = page.get_by_role("region", name=t("Essaimage : où la pratique a été reproduite"))
    expect(reproductions.get_by_role("listitem")).to_contain_text(["Trois jardins ouverts avec le centre social"])
    expect(reproductions.get_by_role("listitem")).to_contain_text([re.compile(re.escape(epci))])
    table = reproductions.get_by_role("table", name=t("Reproductions par territoire"))
    expect(table.get_by_role("row", name=re.compile(re.escape(department)))).to_contain_text("1")
    expect(table.get_by_role("row", name=re.compile(re.escape(epci)))).to_contain_text("1")
    visit(page, "sheet-reproduced")
    # the public page shows it too, without the contact
    visitor.goto(journey["public_sheet_url"])
    public = visitor.get_by_role("region", name=t("Essaimage : où la pratique a été reproduite"))
    expect(public).to_contain_text("Trois jardins ouverts avec le centre social")
    expect(public.get_by_role("table", name=t("Reproductions par territoire"))).to_contain_text(department)
    expect(public).not_to_contain_text("paul.durand@demo.fsi")


def test_the_browser_reported_nothing_wrong():
    assert BROWSER_ERRORS == []
