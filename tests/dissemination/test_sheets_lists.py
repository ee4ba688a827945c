"""The lists cost the same for one row as for many: the sheets list, the reproductions of a
sheet and its territory table, the chosen attachments."""
from datetime import date

from fsi.accounts.models import User
from fsi.dissemination.sheets import sheets
from tests.dissemination.sheets_setup import get, make_closed, published_sheet, written_sheet
from tests.factories import create_territory, create_user
from tests.queries import count_statements


def _page_cost(app, client, path):
    with count_statements(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_the_sheets_list_costs_the_same_for_one_or_three_sheets(app, in_db, client, login):
    with in_db():
        first = make_closed()
        written_sheet(first)
        staff = get(User, first.staff_id)
    login(staff)
    one, page = _page_cost(app, client, "/sheets/")
    assert page.count("Conciergerie solidaire") == 1
    with in_db():
        for _ in range(2):
            written_sheet(make_closed())
    three, page = _page_cost(app, client, "/sheets/")
    assert page.count("Conciergerie solidaire") == 3
    assert one == three


def test_a_sheet_page_costs_the_same_for_one_or_three_reproductions(app, in_db, client, login):
    with in_db():
        closed = make_closed()
        sheet = published_sheet(closed)
        sheets.declare_reproduction(sheet, create_user(), reproduced_on=date(2026, 1, 1),
                                    territory_id=create_territory().id)
        slug, other = sheet.slug, get(User, closed.other_id)
    login(other)  # another body's member reads the catalogue's page (with the reproductions' contacts)
    one, _page = _page_cost(app, client, f"/catalogue/{slug}")
    with in_db():
        sheet = sheets.sheet_of(closed.application_id)
        for _ in range(2):
            sheets.declare_reproduction(sheet, create_user(), reproduced_on=date(2026, 1, 2),
                                        territory_id=create_territory().id)
    three, page = _page_cost(app, client, f"/catalogue/{slug}")
    assert page.count("<strong>Organisme") == 3
    assert one == three
