"""``flask fsi ...``: init-db, seed-demo, create-user, load-territories."""
from sqlalchemy import create_engine, func
from sqlmodel import Session, select
from werkzeug.security import check_password_hash

from fsi import create_app
from fsi.accounts.demo import DEMO_PASSWORD, DEMO_USERS, seed_accounts
from fsi.accounts.models import Organisation, Role, Territory, User
from tests.factories import create_organisation
from tests.test_migrations import empty_database_url  # noqa: F401  (fixture)


def fsi(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["fsi", *args], input=input)


def test_init_db_migrates_and_loads_the_territories(empty_database_url):  # noqa: F811
    app = create_app({"SECRET_KEY": "s", "DATABASE_URL": empty_database_url, "TESTING": True})
    first = fsi(app, "init-db")
    assert first.exit_code == 0, first.output
    assert "27 territoire(s) ajouté(s)" in first.output
    again = fsi(app, "init-db")  # idempotent
    assert "0 territoire(s) ajouté(s)" in again.output
    app.extensions["fsi.db"].dispose()
    engine = create_engine(empty_database_url)
    with Session(engine) as session:
        departments = set(session.exec(select(Territory.department_code)).all())
    engine.dispose()
    assert {"04", "05", "06", "13", "83", "84", "2A", "2B"} == departments


def test_accounts_demo_step_is_idempotent_and_prints_every_login(app, in_db):
    with in_db():
        lines = seed_accounts()
    for email, _name, role, _org in DEMO_USERS:
        line = next(line for line in lines if email in line)
        assert DEMO_PASSWORD in line and role.value in line
    with in_db() as session:
        counts = [session.exec(select(func.count()).select_from(table)).one() for table in (User, Organisation)]
    with in_db():
        seed_accounts()
    with in_db() as session:
        assert [session.exec(select(func.count()).select_from(t)).one() for t in (User, Organisation)] == counts
        assert counts[0] == len(DEMO_USERS)
        organisations = session.exec(select(Organisation)).all()
        assert len({o.department_code for o in organisations}) >= 3
        assert {u.role for u in session.exec(select(User)).all()} == set(Role)
        porteur = session.exec(select(User).where(User.email == "porteur@demo.fsi")).one()
        comite3 = session.exec(select(User).where(User.email == "comite3@demo.fsi")).one()
        assert porteur.organisation_id == comite3.organisation_id  # the organisational conflict
        assert check_password_hash(porteur.password_hash, DEMO_PASSWORD)


def test_seed_demo_command_runs_twice_and_demo_users_sign_in(app, client):
    """Every domain's demo steps, through the command."""
    for _ in range(2):
        result = fsi(app, "seed-demo")
        assert result.exit_code == 0, result.output
    assert "admin@demo.fsi" in result.output
    response = client.post("/login", data={"email": "admin@demo.fsi", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_create_user_with_password(app, in_db):
    with in_db():
        create_organisation(siren="732829320", name="Habitat Test")
    result = fsi(app, "create-user", "Marie@Example.org", "--role", "applicant", "--organisation", "732 829 320",
                 "--password", "un mot de passe", "--name", "Marie Curie")
    assert result.exit_code == 0, result.output
    assert "Compte créé : marie@example.org" in result.output
    with in_db() as session:
        user = session.exec(select(User).where(User.email == "marie@example.org")).one()
        assert (user.full_name, user.role) == ("Marie Curie", Role.applicant)
        assert check_password_hash(user.password_hash, "un mot de passe")


def test_create_user_prompts_for_the_password_twice(app, in_db):
    result = fsi(app, "create-user", "staff@example.org", "--role", "staff",
                 input="premier essai\nautre chose\nla bonne phrase\nla bonne phrase\n")
    assert result.exit_code == 0, result.output
    assert "Confirmez le mot de passe" in result.output
    with in_db() as session:
        user = session.exec(select(User).where(User.email == "staff@example.org")).one()
        assert check_password_hash(user.password_hash, "la bonne phrase")


def test_create_user_clear_errors(app, in_db):
    with in_db():
        create_organisation(siren="552100554")
    cases = [
        (["x@example.org", "--role", "boss", "--password", "assez long mot"], "'boss' is not one of"),
        (["pas-une-adresse", "--role", "staff", "--password", "assez long mot"], "Cette adresse de courriel n'est pas valide"),
        (["x@example.org", "--role", "applicant", "--password", "assez long mot"],
         "--organisation : Un porteur de projet doit être rattaché à un organisme."),
        (["x@example.org", "--role", "applicant", "--organisation", "111111111", "--password", "assez long mot"],
         "Aucun organisme avec le SIREN 111111111"),
        (["x@example.org", "--role", "staff", "--password", "court"], "au moins 10 caractères"),
    ]
    for args, message in cases:
        result = fsi(app, "create-user", *args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    assert fsi(app, "create-user", "x@example.org", "--role", "staff", "--password", "assez long mot").exit_code == 0
    duplicate = fsi(app, "create-user", "X@example.org", "--role", "staff", "--password", "assez long mot")
    assert duplicate.exit_code != 0 and "Un compte existe déjà" in duplicate.output
    with in_db() as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 1


def test_load_territories_from_a_file(app, in_db, tmp_path):
    csv_path = tmp_path / "t.csv"
    csv_path.write_text("department_code,department,region,epci_kind,epci\n"
                        "2A,Corse-du-Sud,Corse,communauté d'agglomération,CA du Pays Ajaccien Test\n",
                        encoding="utf-8")
    result = fsi(app, "load-territories", str(csv_path))
    assert result.exit_code == 0 and "1 territoire(s) ajouté(s)" in result.output
    assert "27 territoire(s) ajouté(s)" in fsi(app, "load-territories").output
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\n13,X\n", encoding="utf-8")
    result = fsi(app, "load-territories", str(bad))
    assert result.exit_code != 0 and "colonnes manquantes" in result.output
    with in_db() as session:
        assert session.exec(select(func.count()).select_from(Territory)).one() == 28
