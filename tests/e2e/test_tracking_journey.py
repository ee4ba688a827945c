"""Staff tracking (« Pilotage ») in a real browser (French), on the demo (``flask fsi seed-demo``):
the dashboard whose key figures agree with its tables and charts, scoped to a call by its row;
the Panorama des territoires by EPCI (the three metropolises first, the charts drawing the table's
amounts, a print layout without menu nor filters) and by theme; a metropolis's page listing the
grants decided there; Phocéa Habitat's record, whose 36-month ceiling counts the two grants the
demo entered as obtained outside FSI, refuses a negative one next to the field and moves by
exactly the amount of a new one; the search whose filter is in the address (reloaded, the same
rows), exported to XLSX and CSV that say what the list says. Every page is checked with axe-core
and the browser's console (helpers.visit)."""
import pytest

from tests.e2e.helpers import BROWSER_ERRORS, signed_in_pages
from tests.e2e.steps import tracking, tracking_search
from tests.e2e.test_journey import STAFF

pytestmark = pytest.mark.e2e

#: granted in the national circuit of the demo (fsi.review.demo)
NATIONAL_CALL = "Fonds de soutien à l'innovation 2027 — circuit national"
#: the metropolis whose grants the demo decided (Toulon Rade Habitat's two projects)
METROPOLIS = "Métropole Toulon Provence Méditerranée"
#: fsi.tracking.demo: the grants Phocéa Habitat obtained outside FSI (funder, amount)
ORGANISATION = "Phocéa Habitat"
DEMO_OUTSIDE_GRANTS = [("Fédération nationale des Offices Publics de l'Habitat", "40000"), ("Région Sud", "25000")]
NEW_GRANT = ("Fondation Abbé Pierre", "Ateliers d'autoréhabilitation accompagnée", "12500")
#: a text and states chosen in the search form (the grants decided and the projects under way)
SEARCH_TEXT = "habitat"
SEARCH_STATES = ["Subvention accordée", "Projet en cours", "Capitalisé (fiche publiée)", "Refusé"]


@pytest.fixture(scope="module")
def pages(new_page):
    return signed_in_pages(new_page, {"staff": STAFF})


@pytest.fixture(scope="module")
def journey():
    return {}


def test_the_dashboard_figures_agree_with_their_tables_and_charts(pages, journey):
    page = pages("staff")
    tracking.open_dashboard(page)
    journey["dashboard"] = tracking.dashboard_figures_add_up(page)
    tracking.dashboard_picture(page)


def test_a_call_row_scopes_the_dashboard_to_that_call(pages, journey):
    page = pages("staff")
    tracking.scope_to_a_call(page, NATIONAL_CALL, journey["dashboard"]["by_call"])


def test_the_panorama_by_epci_puts_the_metropolises_first(pages, journey):
    page = pages("staff")
    tracking.open_dashboard(page)
    tracking.open_panorama(page, "Par EPCI et métropole")
    journey["epci"] = tracking.panorama_by_epci(page, journey["dashboard"])


def test_the_printed_panorama_has_no_menu_nor_filters(pages):
    tracking.printed_panorama_hides_the_menu_and_filters(pages("staff"))


def test_the_panorama_by_theme_adds_up_to_the_dashboard(pages, journey):
    tracking.panorama_by_theme(pages("staff"), journey["dashboard"])


def test_a_metropolis_page_lists_the_grants_decided_there(pages, journey):
    projects = tracking.territory_lists_its_projects(pages("staff"), METROPOLIS, journey["epci"])
    assert any("Jardins partagés en pied d'immeuble" in row for row in projects)


def test_the_organisation_record_counts_the_outside_grants_in_its_ceiling(pages, journey):
    page = pages("staff")
    listed = tracking.open_organisation(page, ORGANISATION)
    journey["ceiling"] = tracking.record_shows_its_ceiling_and_outside_grants(page, listed, DEMO_OUTSIDE_GRANTS)


def test_a_negative_outside_grant_is_refused_next_to_the_field(pages, journey):
    funder, label, _amount = NEW_GRANT
    tracking.hostile_outside_grant_is_refused(pages("staff"), funder, label, journey["ceiling"])


def test_an_outside_grant_moves_the_ceiling_by_its_amount(pages, journey):
    funder, label, amount = NEW_GRANT
    tracking.add_outside_grant(pages("staff"), funder, label, amount, journey["ceiling"])


def test_the_search_filter_is_in_a_shareable_address(pages, journey):
    page = pages("staff")
    url, headers, rows = tracking_search.search_with_filters(page, SEARCH_TEXT, SEARCH_STATES)
    journey["search"] = (headers, rows)
    tracking_search.shared_address_gives_the_same_rows(page, url, rows)


def test_the_xlsx_export_has_the_list_rows_typed(pages, journey):
    tracking_search.xlsx_matches_the_list(pages("staff"), *journey["search"])


def test_the_csv_export_has_the_list_rows(pages, journey):
    tracking_search.csv_matches_the_list(pages("staff"), *journey["search"])


def test_the_browser_reported_nothing_wrong():
    assert BROWSER_ERRORS == []
