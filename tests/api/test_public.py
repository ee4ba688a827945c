"""The public endpoints (GET /sheets, /sheets/{slug}, /events): no token needed; only published
sheets, only what their public pages show (the chosen contact is the only personal data), the
catalogue's search, pages of constant cost."""
import re
from datetime import date, timedelta

import pytest

from fsi.accounts.models import Role
from fsi.db import db
from fsi.dissemination.events.registrations import register
from fsi.dissemination.events.services import cancel_event
from fsi.dissemination.sheets.models import Reproduction
from fsi.workflow import tagged
from tests.dissemination.catalogue_helpers import (
    awarded_state,
    create_sheet,
    draft_state,
    unpublished_state,
)
from tests.dissemination.events_helpers import make_event
from tests.factories import create_application, create_organisation, create_territory, create_user
from tests.queries import count_statements

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MONEY = re.compile(r"^-?[0-9]+\.[0-9]{2}$")


@pytest.fixture
def catalogue(in_db):
    """Three published sheets (the newest: about energy, with a contact, a reproduction, an
    event), a draft and a sheet taken down that speak of energy too."""
    with in_db():
        lead = create_organisation(name="Habitat Sud")
        create_user(organisation=lead, email="porteur.prive@example.org")
        older = create_sheet(title="Conciergerie solidaire", published_days_ago=30)
        middle = create_sheet(title="Jardins partagés", published_days_ago=20)
        energy = create_sheet(
            organisation=lead, title="Sécurité énergétique des locataires", published_days_ago=1,
            summary="Moins de factures.", lessons="La sécurité d'abord.", problem="Des **factures** lourdes.",
            contact_name="Camille Martin", contact_role="Cheffe de projet", contact_email="camille.martin@example.org",
            indicators=[{"label": "Logements", "target": "100", "measured": 120}])
        draft = create_sheet(state=draft_state(), title="Brouillon énergie sécurité", lessons="sécurité")
        gone = create_sheet(state=unpublished_state(), title="Dépubliée énergie sécurité", lessons="sécurité")
        other = create_organisation(name="Logis Nord")
        db.session.add(Reproduction(
            sheet_id=energy.id, organisation_id=other.id, territory_id=create_territory().id,
            reproduced_on=date(2026, 3, 1), note="Repris à Lille.", contact_name="Dominique Secret",
            contact_email="dominique.secret@example.org",
            declared_by_id=create_user(organisation=other, email="declarant@example.org").id))
        event = make_event(title="Atelier énergie", sheet_ids=[energy.id, draft.id])
        return {"older": older.slug, "middle": middle.slug, "energy": energy.slug, "draft": draft.slug,
                "gone": gone.slug, "event_id": event.id}


def test_the_published_sheets_are_listed_newest_first_without_a_token(client, catalogue):
    response = client.get("/api/v1/sheets")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert [item["slug"] for item in body["items"]] == [catalogue["energy"], catalogue["middle"], catalogue["older"]]
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 3)
    first = body["items"][0]
    assert first["title"] == "Sécurité énergétique des locataires" and first["organisation"] == "Habitat Sud"
    assert MONEY.match(first["grant"]) and first["grant"] == "40000.00"
    assert first["published_at"].endswith("Z")
    assert first["url"] == f"http://fsi.test/catalogue/{catalogue['energy']}"
    assert first["territory"]["department_code"] == "13"


def test_pages_and_their_bounds(client, catalogue):
    second = client.get("/api/v1/sheets?per_page=1&page=2").get_json()
    assert [item["slug"] for item in second["items"]] == [catalogue["middle"]]
    assert (second["page"], second["per_page"], second["total"]) == (2, 1, 3)
    beyond = client.get("/api/v1/sheets?per_page=2&page=3")
    assert beyond.status_code == 200
    assert beyond.get_json() == {"items": [], "page": 3, "per_page": 2, "total": 3}
    for query in ("per_page=101", "page=0", "page=x", "q=" + "a" * 201):
        refused = client.get(f"/api/v1/sheets?{query}")
        assert refused.status_code == 422, query
        error = refused.get_json()["error"]
        assert error["code"] == "invalid" and error["details"], query


def test_the_search_is_the_catalogues_and_finds_only_published_sheets(client, catalogue):
    for words in ("sécurité", "securite", "SECURITE locataire"):
        body = client.get("/api/v1/sheets", query_string={"q": words}).get_json()
        assert [item["slug"] for item in body["items"]] == [catalogue["energy"]], words
        assert body["total"] == 1
    nothing = client.get("/api/v1/sheets", query_string={"q": "introuvable"}).get_json()
    assert nothing["items"] == [] and nothing["total"] == 0
    odd = client.get("/api/v1/sheets", query_string={"q": "\x00'; DROP TABLE practice_sheet; --"})
    assert odd.status_code == 200


def test_a_published_sheet_shows_what_its_public_page_shows(client, catalogue):
    response = client.get(f"/api/v1/sheets/{catalogue['energy']}")
    assert response.status_code == 200
    sheet = response.get_json()
    assert sheet["title"] == "Sécurité énergétique des locataires"
    assert sheet["sections"]["problem"] == "Des **factures** lourdes." and sheet["sections"]["novelty"] == ""
    assert sheet["indicators"] == [{"label": "Logements", "target": "100", "measured": "120"}]
    assert sheet["contact"] == {"name": "Camille Martin", "role": "Cheffe de projet",
                                "email": "camille.martin@example.org"}
    assert sheet["figures"]["granted"] == "40000.00"
    assert [(r["organisation"], r["reproduced_on"], r["note"]) for r in sheet["reproductions"]] == [
        ("Logis Nord", "2026-03-01", "Repris à Lille.")]
    assert [(e["id"], e["title"], e["cancelled"]) for e in sheet["events"]] == [
        (catalogue["event_id"], "Atelier énergie", False)]
    # no personal data but the chosen contact: not the reproduction's contact, not the lead's users
    assert set(EMAIL.findall(response.get_data(as_text=True))) == {"camille.martin@example.org"}
    assert "Dominique Secret" not in response.get_data(as_text=True)


def test_an_unpublished_or_unknown_sheet_is_404_in_the_error_shape(client, catalogue):
    for slug in (catalogue["draft"], catalogue["gone"], "999-inconnue", "a%00b", "x" * 300):
        response = client.get(f"/api/v1/sheets/{slug}")
        assert response.status_code == 404, slug
        assert response.mimetype == "application/json"
        assert response.get_json()["error"]["code"] == "not_found", slug


def test_a_token_changes_nothing_to_what_sheets_show(api_client, in_db, client, catalogue):
    with in_db():
        staff = create_user(role=Role.staff)
    anonymous = client.get("/api/v1/sheets").get_json()
    assert api_client(staff).get("/api/v1/sheets").get_json() == anonymous
    assert api_client(staff).get(f"/api/v1/sheets/{catalogue['draft']}").status_code == 404


def test_the_list_costs_the_same_whatever_its_length(app, client, in_db):
    with in_db():
        for _n in range(2):
            create_sheet()
    client.get("/api/v1/sheets")  # warm up (the first request of an app loads more)
    with count_statements(app) as few:
        assert len(client.get("/api/v1/sheets").get_json()["items"]) == 2
    with in_db():
        for _n in range(6):
            create_sheet()
    with count_statements(app) as many:
        assert len(client.get("/api/v1/sheets").get_json()["items"]) == 8
    assert len(many) == len(few)


# --- Events ------------------------------------------------------------------------------------

@pytest.fixture
def agenda(in_db):
    """An upcoming atelier (a published and a draft sheet, an awarded and a draft project, a video
    link, one seat taken by a member), a cancelled club, a past visit."""
    with in_db():
        published = create_sheet(title="Fiche publiée")
        draft = create_sheet(state=draft_state(), title="Fiche brouillon")
        awarded = create_application(state=awarded_state(), title="Conciergerie")
        hidden = create_application(state="draft", title="Projet secret")
        atelier = make_event(capacity=3, sheet_ids=[published.id, draft.id], application_ids=[awarded.id, hidden.id],
                             video_url="https://visio.example.org/a", description="Un **atelier**.")
        member = create_user(email="membre.inscrit@example.org")
        register(atelier, member)
        club = make_event(title="Club annulé", starts_in=timedelta(days=20))
        cancel_event(club, club.version, "Salle indisponible.")
        past = make_event(title="Visite passée", starts_in=timedelta(days=-30))
        staff = create_user(role=Role.staff)
        outsider = create_user()
        return {"atelier": atelier.id, "club": club.id, "past": past.id, "member": member, "staff": staff,
                "outsider": outsider, "published": published.slug}


def test_the_upcoming_events_show_only_what_is_public(client, agenda):
    response = client.get("/api/v1/events")
    assert response.status_code == 200
    body = response.get_json()
    assert [item["id"] for item in body["items"]] == [agenda["atelier"], agenda["club"]]  # soonest first
    assert body["total"] == 2
    atelier, club = body["items"]
    assert atelier["kind"] == "atelier" and atelier["kind_label"] == {"fr": "Atelier", "en": "Workshop"}
    assert atelier["starts_at"].endswith("Z") and atelier["description"] == "Un **atelier**."
    assert (atelier["capacity"], atelier["seats_left"], atelier["waiting"]) == (3, 2, 0)
    assert [sheet["slug"] for sheet in atelier["sheets"]] == [agenda["published"]]
    assert atelier["projects"] == [{"title": "Conciergerie", "organisation": atelier["projects"][0]["organisation"]}]
    assert atelier["video_url"] is None and atelier["registration"] is None  # the link is for those registered
    assert atelier["url"].startswith(f"http://fsi.test/events/{agenda['atelier']}-")
    assert club["cancelled"] is True and club["cancel_reason"] == "Salle indisponible."
    assert not EMAIL.findall(response.get_data(as_text=True))


def test_the_past_events(client, agenda):
    body = client.get("/api/v1/events?when=past").get_json()
    assert [item["id"] for item in body["items"]] == [agenda["past"]] and body["total"] == 1
    assert client.get("/api/v1/events?when=soon").status_code == 422


def test_the_video_link_goes_to_those_registered_and_to_staff(api_client, agenda):
    def atelier(user):
        items = api_client(user).get("/api/v1/events").get_json()["items"]
        return next(item for item in items if item["id"] == agenda["atelier"])

    registered = atelier(agenda["member"])
    assert registered["video_url"] == "https://visio.example.org/a" and registered["registration"] == "registered"
    assert atelier(agenda["staff"])["video_url"] == "https://visio.example.org/a"
    outsider = atelier(agenda["outsider"])
    assert outsider["video_url"] is None and outsider["registration"] is None


def test_the_events_cost_the_same_whatever_their_number(app, client, in_db):
    with in_db():
        sheet = create_sheet()
        make_event(sheet_ids=[sheet.id])
    client.get("/api/v1/events")
    with count_statements(app) as few:
        assert len(client.get("/api/v1/events").get_json()["items"]) == 1
    with in_db():
        for n in range(4):
            make_event(title=f"Atelier {n}", sheet_ids=[create_sheet().id],
                       application_ids=[create_application(state=sorted(tagged("application", "awarded"))[0]).id])
    with count_statements(app) as many:
        assert len(client.get("/api/v1/events").get_json()["items"]) == 5
    assert len(many) == len(few)
