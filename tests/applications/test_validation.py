"""Table-driven validation of every field of the application form: French messages next to
the field, the input shown back, nothing saved (drafts survive invalid input)."""
import pytest
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.applications.models import Application, CostLine
from fsi.db import db
from tests.factories import create_application, create_open_call, create_organisation, create_user

LONG = "é" * 1001


@pytest.fixture
def draft(in_db, login):
    with in_db():
        organisation = create_organisation()
        user = create_user(role=Role.applicant, organisation=organisation)
        application = create_application(call=create_open_call(), organisation=organisation, title="Titre gardé")
        ids = application.id, application.version
    login(user)
    return ids


# section, posted data, field id, expected French message
CASES = [
    ("organisation", {"contact_email": "pas-une-adresse"}, "contact_email", "Adresse de courriel invalide."),
    ("organisation", {"contact_phone": "12"}, "contact_phone", "Numéro de téléphone invalide"),
    ("organisation", {"contact_name": "x" * 161}, "contact_name", "160 caractères au plus."),
    ("organisation", {"contact_role": "x" * 161}, "contact_role", "160 caractères au plus."),
    ("organisation", {"co_applicants": "999999"}, "co_applicants", "Choix invalide."),
    ("project", {"title": "x" * 201}, "title", "200 caractères au plus."),
    ("project", {"summary": LONG}, "summary", "1000 caractères au plus."),
    ("project", {"description": "x" * 20001}, "description", "20000 caractères au plus."),
    ("project", {"innovation": "x" * 10001}, "innovation", "10000 caractères au plus."),
    ("project", {"beneficiaries": "x" * 5001}, "beneficiaries", "5000 caractères au plus."),
    ("project", {"partners": "x" * 5001}, "partners", "5000 caractères au plus."),
    ("project", {"territory_id": "424242"}, "territory_id", "Choix invalide."),
    ("project", {"territory_id": "abc"}, "territory_id", "Choix invalide."),
    ("project", {"kind": "fusée"}, "kind", "Choix invalide."),
    ("project", {"theme_id": "77777"}, "theme_id", "Choix invalide."),
    ("budget", {"requested_amount": "douze"}, "requested_amount", "Saisissez un montant en chiffres, par exemple 12 500,50."),
    ("budget", {"requested_amount": "1e5"}, "requested_amount", "Saisissez un montant en chiffres, par exemple 12 500,50."),
    ("budget", {"requested_amount": "12,500.50"}, "requested_amount", "Montant ambigu : utilisez la virgule pour les décimales"),
    ("budget", {"requested_amount": "-5"}, "requested_amount", "La valeur ne peut pas être négative."),
    ("budget", {"requested_amount": "10,555"}, "requested_amount", "Au plus 2 décimales."),
    ("budget", {"cost_lines-0-category": "works", "cost_lines-0-label": "Travaux",
                "cost_lines-0-amount_excl_tax": "abc", "cost_lines-0-amount_incl_tax": "10"},
     "cost_lines-0-amount_excl_tax", "Saisissez un montant en chiffres"),
    ("budget", {"cost_lines-0-category": "works", "cost_lines-0-label": "Travaux",
                "cost_lines-0-amount_excl_tax": "1 200", "cost_lines-0-amount_incl_tax": "1 000"},
     "cost_lines-0-amount_incl_tax", "Le montant TTC ne peut pas être inférieur au montant HT."),
    ("budget", {"cost_lines-0-category": "works", "cost_lines-0-label": "Travaux",
                "cost_lines-0-amount_excl_tax": "1 000"},
     "cost_lines-0-amount_incl_tax", "Indiquez le montant TTC."),
    ("budget", {"cost_lines-0-category": "works", "cost_lines-0-amount_excl_tax": "1 000",
                "cost_lines-0-amount_incl_tax": "1 200"},
     "cost_lines-0-label", "Indiquez le libellé de la dépense."),
    ("budget", {"cost_lines-0-category": "fusée", "cost_lines-0-label": "Travaux",
                "cost_lines-0-amount_excl_tax": "1 000", "cost_lines-0-amount_incl_tax": "1 200"},
     "cost_lines-0-category", "Choix invalide."),
    ("budget", {"cofundings-0-funder": "Région", "cofundings-0-public": "1"},
     "cofundings-0-amount", "Indiquez le montant."),
    ("budget", {"cofundings-0-amount": "5 000", "cofundings-0-public": "1"},
     "cofundings-0-funder", "Indiquez le financeur."),
    ("budget", {"cofundings-0-funder": "Région", "cofundings-0-public": "peut-être", "cofundings-0-amount": "5"},
     "cofundings-0-public", "Choix invalide."),
    ("timeline", {"start_date": "31/02/2027"}, "start_date", "Saisissez une date, par exemple 25/11/2026."),
    ("timeline", {"start_date": "2027-06-01", "end_date": "2027-01-01"}, "end_date",
     "La date de fin doit suivre la date de début."),
    ("timeline", {"milestones-0-due_on": "demain"}, "milestones-0-due_on", "Saisissez une date"),
    ("timeline", {"milestones-0-due_on": "2027-03-01"}, "milestones-0-label", "Nommez cette étape."),
    ("results", {"expected_results": "x" * 10001}, "expected_results", "10000 caractères au plus."),
    ("results", {"indicators": "x" * 5001}, "indicators", "5000 caractères au plus."),
]


@pytest.mark.parametrize("section, data, field_id, message", CASES,
                         ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_invalid_field_is_refused_next_to_the_field_and_nothing_is_lost(client, in_db, draft, section, data,
                                                                        field_id, message):
    application_id, version = draft
    response = client.post(f"/applications/{application_id}/section/{section}", data={"version": version, **data})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    error_block = text.split(f'id="{field_id}-error"', 1)
    assert len(error_block) == 2, f"no error next to {field_id}"
    assert message in error_block[1].split("</p>", 1)[0]
    for value in data.values():  # every typed value is shown back (a select cannot show an unknown option)
        if message != "Choix invalide." and len(value) < 200:
            assert value in text
    with in_db():
        row = db.session.get(Application, application_id)
        assert row.version == version and row.title == "Titre gardé"
        assert db.session.exec(select(CostLine)).all() == []


def test_french_amounts_are_accepted_and_partial_drafts_saved(client, in_db, draft):
    application_id, version = draft
    response = client.post(f"/applications/{application_id}/section/budget", data={
        "version": version, "cost_lines-0-category": "works", "cost_lines-0-label": "Travaux",
        "cost_lines-0-amount_excl_tax": "12 500,50", "cost_lines-0-amount_incl_tax": "15000.60",
        "cost_lines-0-eligible": "y"})
    assert response.status_code == 302
    with in_db():
        line = db.session.exec(select(CostLine)).one()
        assert (str(line.amount_excl_tax), str(line.amount_incl_tax), line.eligible) == ("12500.50", "15000.60", True)
        assert db.session.get(Application, application_id).requested_amount is None


def test_requested_amount_above_the_maximum_is_an_error_on_the_field(client, in_db, draft):
    application_id, version = draft
    with in_db():
        db.session.get(Application, application_id).kind = "innovation"
    response = client.post(f"/applications/{application_id}/section/budget", data={
        "version": version + 0, "cost_lines-0-category": "works", "cost_lines-0-label": "Travaux",
        "cost_lines-0-amount_excl_tax": "10 000", "cost_lines-0-amount_incl_tax": "12 000",
        "cost_lines-0-eligible": "y", "requested_amount": "5 000,01"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    error = text.split('id="requested_amount-error"', 1)[1].split("</p>", 1)[0]
    assert "Le montant demandé dépasse la subvention maximale permise (5\u202f000,00\xa0€)." in error
    response = client.post(f"/applications/{application_id}/section/budget", data={
        "version": version, "cost_lines-0-category": "works", "cost_lines-0-label": "Travaux",
        "cost_lines-0-amount_excl_tax": "10 000", "cost_lines-0-amount_incl_tax": "12 000",
        "cost_lines-0-eligible": "y", "requested_amount": "5 000"})
    assert response.status_code == 302


def test_a_stale_section_save_is_refused_and_the_input_kept(client, in_db, draft):
    application_id, version = draft
    assert client.post(f"/applications/{application_id}/section/results",
                       data={"version": version, "indicators": "Premier"}).status_code == 302
    response = client.post(f"/applications/{application_id}/section/results",
                           data={"version": version, "indicators": "Second, sur une page périmée"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "modifiées entre-temps" in text and "Second, sur une page périmée" in text
    with in_db():
        assert db.session.get(Application, application_id).indicators == "Premier"
