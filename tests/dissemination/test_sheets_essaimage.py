"""Essaimage: another housing body declares it reproduced a published practice; the sheet
shows where, on a list and a territory table, the contact only to signed-in users."""
from datetime import date, timedelta

import pytest

from fsi.accounts.models import User
from fsi.dissemination.sheets import sheets
from fsi.dissemination.sheets.display import reproductions_of
from fsi.errors import Refused
from fsi.i18n import today
from tests.dissemination.sheets_setup import get, make_closed, published_sheet, written_sheet
from tests.factories import create_territory, create_user


def test_another_body_declares_it_through_the_form(in_db, client, login):
    with in_db():
        closed = make_closed()
        sheet = published_sheet(closed)
        territory = create_territory(department="Var", department_code="83", epci="Métropole Toulon Provence")
        other, sheet_id, territory_id = get(User, closed.other_id), sheet.id, territory.id
    login(other)
    # another body's reader is sent to the catalogue's page: no history, no reviewers' comments
    response = client.get(f"/sheets/{sheet_id}", follow_redirects=True)
    assert response.request.path.startswith("/catalogue/")
    page = response.get_data(as_text=True)
    assert f"/sheets/{sheet_id}/reproductions" in page
    response = client.post(f"/sheets/{sheet_id}/reproductions",
                           data={"reproduced_on": "2026-09-01", "territory_id": territory_id,
                                 "note": "Repris avec une loge plus petite.", "contact_name": "Dominique Roy",
                                 "contact_email": "d.roy@example.org"})
    assert response.status_code == 302
    page = client.get(f"/sheets/{sheet_id}", follow_redirects=True).get_data(as_text=True)
    assert "Repris avec une loge plus petite." in page and "Métropole Toulon Provence" in page
    assert "d.roy@example.org" in page  # signed in: the contact shows
    with in_db():
        listed, territories = reproductions_of(sheet_id)
        assert [(row.organisation, row.reproduction.reproduced_on) for row in listed] == [
            (get_org_name(other), date(2026, 9, 1))]
        assert [(t.label, t.count, [(e.label, e.count) for e in t.epcis]) for t in territories] == [
            ("Var", 1, [("Métropole Toulon Provence", 1)])]


def get_org_name(user):
    from fsi.accounts.models import Organisation

    return get(Organisation, user.organisation_id).name


def test_the_territory_table_counts_departments_and_epcis(in_db):
    with in_db():
        closed = make_closed()
        sheet = published_sheet(closed)
        var_a = create_territory(department="Var", epci="EPCI A")
        var_b = create_territory(department="Var", epci="EPCI B")
        gard = create_territory(department="Gard", epci="EPCI C")
        for territory in (var_a, var_a, var_b, gard, None):
            sheets.declare_reproduction(sheet, create_user(), reproduced_on=date(2026, 1, 1),
                                        territory_id=territory.id if territory else None)
        _listed, territories = reproductions_of(sheet.id)
        assert [(t.label, t.count, [(e.label, e.count) for e in t.epcis]) for t in territories] == [
            ("Gard", 1, [("EPCI C", 1)]), ("Var", 3, [("EPCI A", 2), ("EPCI B", 1)]), ("Non précisé", 1, [])]


def test_who_may_declare(in_db):
    with in_db():
        closed = make_closed()
        draft = written_sheet(closed)
        other, lead, staff = get(User, closed.other_id), get(User, closed.lead_id), get(User, closed.staff_id)
        with pytest.raises(Refused):  # not published
            sheets.declare_reproduction(draft, other, reproduced_on=date(2026, 1, 1))
        from fsi.workflow.service import fire

        fire(draft, "submit", lead)
        fire(draft, "publish", staff)
        for user in (lead, staff):  # its own organisation; staff have none
            with pytest.raises(Refused):
                sheets.declare_reproduction(draft, user, reproduced_on=date(2026, 1, 1))
        with pytest.raises(Refused, match="futur"):
            sheets.declare_reproduction(draft, other, reproduced_on=today() + timedelta(days=2))
        assert sheets.declare_reproduction(draft, other, reproduced_on=today()).organisation_id == other.organisation_id


def test_the_lead_and_anonymous_visitors_get_no_declaration_form(in_db, client, login):
    with in_db():
        closed = make_closed()
        sheet = published_sheet(closed)
        sheets.declare_reproduction(sheet, get(User, closed.other_id), reproduced_on=date(2026, 1, 1),
                                    contact_email="secret@example.org")
        sheet_id, lead = sheet.id, get(User, closed.lead_id)
    assert client.get(f"/sheets/{sheet_id}/reproductions").status_code == 302  # to the login page
    login(lead)
    assert client.get(f"/sheets/{sheet_id}/reproductions").status_code == 403
    assert f"/sheets/{sheet_id}/reproductions" not in client.get(f"/sheets/{sheet_id}").get_data(as_text=True)


def test_anonymous_visitors_never_see_a_reproductions_contact(in_db, app):
    with in_db():
        closed = make_closed()
        sheet = published_sheet(closed)
        sheets.declare_reproduction(sheet, get(User, closed.other_id), reproduced_on=date(2026, 1, 1),
                                    note="Une note publique.", contact_name="Dominique Roy",
                                    contact_email="secret@example.org")
        sheet_id = sheet.id
    with app.test_request_context():
        from flask import render_template
        from flask_login import AnonymousUserMixin

        from fsi.db import db
        from fsi.dissemination.sheets.display import sheet_page
        from fsi.dissemination.sheets.models import PracticeSheet

        html = render_template("dissemination/sheets/_body.html",
                               page=sheet_page(db.session.get(PracticeSheet, sheet_id), AnonymousUserMixin()))
    assert "Une note publique." in html
    assert "secret@example.org" not in html and "Dominique Roy" not in html
