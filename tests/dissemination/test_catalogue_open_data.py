"""Open data: the published sheets and the granted subsidies in CSV and JSON, under the configured
licence (Licence Ouverte 2.0 by default); nothing unpublished, no personal data."""
import csv
import io
from decimal import Decimal

from fsi.db import utcnow
from tests.dissemination.catalogue_helpers import awarded_state, create_sheet, draft_state, unpublished_state
from tests.factories import create_application, create_organisation, create_territory


def read_csv(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def seed(in_db):
    with in_db():
        territory = create_territory(department_code="06", department="Alpes-Maritimes", epci="Métropole NCA")
        organisation = create_organisation(name="Habitat Azur", siren="123456782")
        awarded = create_application(organisation=organisation, state=awarded_state(), title="Conciergerie",
                                     approved_amount=Decimal("45000.50"), approved_at=utcnow(),
                                     territory_id=territory.id, kind="innovation",
                                     contact_email="porteur.prive@example.org")
        create_application(state="draft", title="Dossier en brouillon")
        create_sheet(awarded, title="Une conciergerie solidaire", contact_email="contact.fiche@example.org")
        create_sheet(title="Fiche en brouillon", state=draft_state())
        create_sheet(title="Fiche dépubliée", state=unpublished_state())


def test_sheets_csv_and_json(app, in_db, client):
    seed(in_db)
    response = client.get("/open-data/sheets.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'rel="license"' in response.headers["Link"]
    rows = read_csv(response)
    assert [row["title"] for row in rows] == ["Une conciergerie solidaire"]
    assert rows[0]["organisation"] == "Habitat Azur"
    assert (rows[0]["department"], rows[0]["epci"], rows[0]["grant"]) == ("Alpes-Maritimes", "Métropole NCA", "45000.50")
    assert rows[0]["url"].startswith("http://fsi.test/catalogue/")
    document = client.get("/open-data/sheets.json").get_json()
    assert document["licence"] == {"name": "Licence Ouverte 2.0",
                                   "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
    assert document["count"] == 1 and document["data"][0]["title"] == "Une conciergerie solidaire"
    body = response.get_data(as_text=True) + client.get("/open-data/sheets.json").get_data(as_text=True)
    assert "brouillon" not in body and "dépubliée" not in body and "@example.org" not in body


def test_grants_csv_and_json(app, in_db, client):
    seed(in_db)
    rows = read_csv(client.get("/open-data/grants.csv"))
    # the awarded applications: the one with the published sheet and the two behind the other sheets
    assert "Conciergerie" in [row["title"] for row in rows]
    assert "Dossier en brouillon" not in [row["title"] for row in rows]
    mine = next(row for row in rows if row["title"] == "Conciergerie")
    assert (mine["organisation"], mine["organisation_siren"], mine["amount"], mine["year"], mine["kind"]) == (
        "Habitat Azur", "123456782", "45000.50", str(utcnow().year), "Projet d'innovation")
    assert mine["department_code"] == "06"
    document = client.get("/open-data/grants.json").get_json()
    assert document["count"] == len(rows)
    assert set(document["data"][0]) == set(document["fields"])
    body = client.get("/open-data/grants.json").get_data(as_text=True)
    assert "porteur.prive@example.org" not in body


def test_the_licence_is_configurable(app, client):
    app.config.update(OPEN_DATA_LICENCE="ODbL 1.0", OPEN_DATA_LICENCE_URL="https://opendatacommons.org/licenses/odbl/")
    assert client.get("/open-data/grants.json").get_json()["licence"]["name"] == "ODbL 1.0"
    page = client.get("/open-data").get_data(as_text=True)
    assert 'href="https://opendatacommons.org/licenses/odbl/" rel="license">ODbL 1.0</a>' in page


def test_the_public_home_shows_the_key_figures(app, in_db, client):
    seed(in_db)
    page = client.get("/").get_data(as_text=True)
    assert "Une conciergerie solidaire" in page
    assert "Projets financés" in page
    assert "Dossier en brouillon" not in page and "Fiche en brouillon" not in page
