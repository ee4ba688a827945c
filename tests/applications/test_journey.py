"""The whole applicant journey in the test client, over several requests."""
import io
from decimal import Decimal

from sqlmodel import select

from fsi.accounts.models import Role
from fsi.applications.models import Application, ApplicationVersion, CostLine
from fsi.calls.models import Theme
from fsi.db import db
from tests.factories import create_open_call, create_territory, create_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def page(response):
    return response.get_data(as_text=True)


def app_row(in_db, application_id):
    with in_db():
        return db.session.get(Application, application_id)


def test_applicant_journey(client, in_db, login):
    with in_db():
        call = create_open_call(title="Appel Innovation", required_attachments=["Délibération du conseil"])
        user = create_user(role=Role.applicant)
        territory = create_territory()
        theme = Theme(label_fr="Services numériques")
        db.session.add(theme)
        db.session.flush()
        call_id, territory_id, theme_id = call.id, territory.id, theme.id
    login(user)

    # the call page offers to create a draft
    assert "Créer un dossier de candidature" in page(client.get(f"/calls/{call_id}"))
    response = client.post(f"/applications/new/{call_id}")
    assert response.status_code == 302
    with in_db():
        application = db.session.exec(select(Application)).one()
        application_id, reference = application.id, application.reference
    assert reference.startswith("FSI-") and len(reference) == len("FSI-2026-0001")
    base = f"/applications/{application_id}"

    # a first visit: the project section, partly filled, with one invalid field kept on screen
    version = app_row(in_db, application_id).version
    response = client.post(f"{base}/section/project", data={
        "version": version, "title": "Conciergerie numérique", "summary": "x" * 1001, "kind": "innovation"})
    assert response.status_code == 422
    assert "1000 caractères au plus." in page(response)
    assert "Conciergerie numérique" in page(response)  # input shown back
    assert app_row(in_db, application_id).title == ""  # nothing half-written

    response = client.post(f"{base}/section/project", data={
        "version": version, "title": "Conciergerie numérique", "summary": "Un service pour les locataires.",
        "kind": "innovation"})
    assert response.status_code == 302

    # submitting now lists every missing thing, grouped by section, with links to fields
    version = app_row(in_db, application_id).version
    response = client.post(f"{base}/submit", data={"expected_version": version})
    assert response.status_code == 422
    text = page(response)
    assert "Décrivez le projet." in text
    assert f'{base}/section/project#description' in text
    assert "Ajoutez au moins une dépense." in text
    assert "Pièce manquante : Délibération du conseil." in text
    assert app_row(in_db, application_id).state == "draft"

    # later visits: every section
    def save(section, data):
        data = {"version": app_row(in_db, application_id).version, **data}
        response = client.post(f"{base}/section/{section}", data=data)
        assert response.status_code == 302, page(response)[:3000]

    save("project", {"title": "Conciergerie numérique", "summary": "Un service pour les locataires.",
                     "description": "Description détaillée.", "innovation": "Premier service mutualisé.",
                     "beneficiaries": "1 200 locataires, 15 gardiens.", "territory_id": territory_id,
                     "partners": "Association locale", "kind": "innovation", "theme_id": theme_id})
    save("organisation", {"contact_name": "Camille Martin", "contact_email": "camille@example.org",
                          "contact_phone": "04 91 00 00 00"})
    save("budget", {"cost_lines-0-category": "digital", "cost_lines-0-label": "Plateforme",
                    "cost_lines-0-amount_excl_tax": "30 000", "cost_lines-0-amount_incl_tax": "36 000",
                    "cost_lines-0-eligible": "y",
                    "cost_lines-1-category": "studies", "cost_lines-1-label": "",
                    "cofundings-0-funder": "Région", "cofundings-0-public": "1", "cofundings-0-amount": "5 000,00",
                    "requested_amount": "12 500,50"})
    save("timeline", {"start_date": "2027-01-01", "end_date": "30/06/2028", "milestones-0-due_on": "2027-03-01",
                      "milestones-0-label": "Lancement"})
    save("results", {"expected_results": "Moins de réclamations.", "indicators": "Taux de satisfaction."})
    with in_db():
        lines = db.session.exec(select(CostLine)).all()
        assert [(line.label, line.amount_excl_tax) for line in lines] == [("Plateforme", Decimal("30000.00"))]
        assert db.session.get(Application, application_id).requested_amount == Decimal("12500.50")

    # the budget page explains the maximum: 50 % × 30 000 = 15 000 (80 % × 30 000 − 5 000 = 19 000)
    text = page(client.get(f"{base}/section/budget"))
    assert "Subvention maximale" in text and "15\u202f000,00\xa0€" in text

    # attach the required document
    response = client.post(f"{base}/attachments", data={
        "label": "Délibération du conseil", "file": (io.BytesIO(PDF), "délibération.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302

    # now complete: submit goes through the workflow
    response = client.post(f"{base}/submit", data={"expected_version": app_row(in_db, application_id).version})
    assert response.status_code == 302
    row = app_row(in_db, application_id)
    assert row.state == "submitted" and row.submitted_at is not None and row.revision == 1
    with in_db():
        version = db.session.exec(select(ApplicationVersion)).one()
        assert version.snapshot["title"] == "Conciergerie numérique"
        assert "délibération.pdf" in version.snapshot["attachments"]

    # read-only for the applicant now
    response = client.get(f"{base}/section/project")
    assert response.status_code == 302 and response.headers["Location"].endswith(base)
    response = client.post(f"{base}/section/project", data={"version": row.version, "title": "Changé"})
    assert app_row(in_db, application_id).title == "Conciergerie numérique"
    assert "n'est pas modifiable" in page(client.get(base))
    assert client.post(f"{base}/submit", data={"expected_version": row.version}).status_code == 403
