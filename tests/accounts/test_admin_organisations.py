"""Organisations: admins create and edit them; staff read them; SIREN and territory rules."""
import pytest
from sqlmodel import select

from fsi.accounts.models import Organisation, OrganisationKind, Role, Territory
from fsi.accounts.services import load_territories
from tests.accounts.helpers import page
from tests.factories import create_organisation, create_user
from tests.queries import count_statements


@pytest.fixture
def territories(in_db):
    with in_db() as session:
        load_territories()
        rows = session.exec(select(Territory)).all()
    return {t.epci: t for t in rows}


@pytest.fixture
def admin(in_db, login):
    with in_db():
        user = create_user(role=Role.admin)
    login(user)
    return user


def form(territory, **overrides):
    data = {"name": "Nouvel Habitat", "kind": "esh", "siren": "732 829 320",
            "department_code": territory.department_code, "territory_id": str(territory.id), "active": "y"}
    data.update(overrides)
    return data


def test_create_organisation(client, in_db, admin, territories):
    marseille = territories["Métropole d'Aix-Marseille-Provence"]
    response = client.post("/admin/organisations/new", data=form(marseille))
    assert response.status_code == 302
    with in_db() as session:
        org = session.exec(select(Organisation)).one()
        assert (org.name, org.kind, org.siren, org.department_code, org.territory_id, org.active) == \
            ("Nouvel Habitat", OrganisationKind.esh, "732829320", "13", marseille.id, True)


@pytest.mark.parametrize("overrides,field_message", [
    ({"name": ""}, "Saisissez le nom de l'organisme."),
    ({"kind": ""}, "Choisissez le type d'organisme."),
    ({"kind": "bank"}, "Choisissez une valeur de la liste."),
    ({"siren": ""}, "Saisissez le numéro SIREN."),
    ({"siren": "732829321"}, "Le SIREN doit comporter 9 chiffres et avoir une clé de contrôle valide."),
    ({"siren": "12345"}, "Le SIREN doit comporter 9 chiffres et avoir une clé de contrôle valide."),
    ({"department_code": ""}, "Choisissez le département."),
    ({"territory_id": ""}, "Choisissez l'EPCI."),
    ({"department_code": "06"}, "Cet EPCI n'appartient pas au département choisi."),
])
def test_bad_input_is_refused_per_field(client, in_db, admin, territories, overrides, field_message):
    text = page(client.post("/admin/organisations/new", data=form(territories["Grand Avignon"], **overrides)))
    assert '<p class="field-error"' in text
    assert field_message in text
    with in_db() as session:
        assert session.exec(select(Organisation)).all() == []


def test_siren_must_be_unique(client, in_db, admin, territories):
    with in_db():
        create_organisation(siren="732829320")
    text = page(client.post("/admin/organisations/new", data=form(territories["Grand Avignon"])))
    assert "Un organisme avec ce SIREN existe déjà." in text
    with in_db() as session:
        assert len(session.exec(select(Organisation)).all()) == 1


def test_edit_organisation_and_stale_refusal(client, in_db, admin, territories):
    var = territories["Métropole Toulon Provence Méditerranée"]
    with in_db():
        org = create_organisation(name="Ancien nom", siren="552100554", territory_id=var.id, department_code="83")
    response = client.post(f"/admin/organisations/{org.id}",
                           data=form(var, name="Nouveau nom", siren="552100554", version="1", active=""))
    assert response.status_code == 302
    text = page(client.post(f"/admin/organisations/{org.id}",
                            data=form(var, name="Trop tard", siren="552100554", version="1")))
    assert "rechargez la page et recommencez" in text
    with in_db() as session:
        stored = session.get(Organisation, org.id)
        assert (stored.name, stored.active, stored.version) == ("Nouveau nom", False, 2)


def test_edit_keeps_its_own_siren_but_not_another(client, in_db, admin, territories):
    avignon = territories["Grand Avignon"]
    with in_db():
        create_organisation(siren="732829320")
        org = create_organisation(siren="552100554", territory_id=avignon.id, department_code="84")
    text = page(client.post(f"/admin/organisations/{org.id}", data=form(avignon, siren="732829320", version="1")))
    assert "Un organisme avec ce SIREN existe déjà." in text
    with in_db() as session:
        assert session.get(Organisation, org.id).siren == "552100554"


def test_staff_read_organisations_without_editing(client, in_db, login, territories):
    with in_db():
        staff = create_user(role=Role.staff)
        org = create_organisation(name="Lecture Seule", territory_id=territories["Grand Avignon"].id,
                                  department_code="84")
    login(staff)
    listing = page(client.get("/admin/organisations"))
    assert "Lecture Seule" in listing and "Ajouter un organisme" not in listing
    detail = client.get(f"/admin/organisations/{org.id}")
    assert "Grand Avignon" in page(detail) and "<form method=\"post\" novalidate>" not in page(detail)
    assert client.post(f"/admin/organisations/{org.id}", data={"name": "X"}).status_code == 403
    assert client.get("/admin/organisations/new").status_code == 403


@pytest.mark.parametrize("role", [Role.applicant, Role.reviewer])
def test_applicants_and_reviewers_cannot_see_organisations(client, in_db, login, role):
    with in_db():
        user = create_user(role=role)
        org = create_organisation()
    login(user)
    assert client.get("/admin/organisations").status_code == 403
    assert client.get(f"/admin/organisations/{org.id}").status_code == 403


def test_unknown_organisation_is_404(client, admin):
    assert client.get("/admin/organisations/9999").status_code == 404


def test_organisation_list_statement_count(app, client, in_db, admin, territories):
    with in_db():
        create_organisation(territory_id=territories["Grand Avignon"].id, department_code="84")
    with count_statements(app) as one:
        client.get("/admin/organisations")
    with in_db():
        for epci in ("Métropole Nice Côte d'Azur", "Métropole Toulon Provence Méditerranée"):
            create_organisation(territory_id=territories[epci].id, department_code=territories[epci].department_code)
    with count_statements(app) as three:
        text = page(client.get("/admin/organisations"))
    assert "Métropole Nice Côte d'Azur" in text
    assert len(one) == len(three)


def test_edit_page_shows_the_current_values(client, in_db, admin, territories):
    nice = territories["Métropole Nice Côte d'Azur"]
    with in_db():
        org = create_organisation(name="Azur Logis", kind=OrganisationKind.sem, siren="552100554",
                                  department_code="06", territory_id=nice.id)
    text = page(client.get(f"/admin/organisations/{org.id}"))
    assert 'value="Azur Logis"' in text and 'value="552100554"' in text
    assert '<option selected value="sem">' in text
    assert '<option selected value="06">' in text
    assert f'<option selected value="{nice.id}">' in text
    assert "Ajouter un organisme" in page(client.get("/admin/organisations/new"))
