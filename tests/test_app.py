"""The application as a whole: factory, language, error pages in the layout, role-aware navigation."""
import pytest
from flask import abort

from fsi import create_app
from fsi.accounts.models import Role
from tests.accounts.helpers import page
from tests.factories import create_organisation, create_user


@pytest.fixture
def app(new_app):
    """These tests add routes: an application of their own."""
    return new_app


def test_factory_gives_independent_apps(database_url):
    first = create_app({"SECRET_KEY": "a", "DATABASE_URL": database_url, "TESTING": True})
    second = create_app({"SECRET_KEY": "b", "DATABASE_URL": database_url, "TESTING": True})
    assert first is not second and first.config["SECRET_KEY"] != second.config["SECRET_KEY"]
    for app in (first, second):
        assert {"home", "accounts", "admin"} <= set(app.blueprints)
        assert "fsi" in app.cli.commands
        app.extensions["fsi.db"].dispose()


def test_french_by_default_english_on_request(client):
    assert '<html lang="fr">' in page(client.get("/login"))
    assert "Connexion" in page(client.get("/login"))
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    assert '<html lang="en">' in page(client.get("/login"))
    client.post("/language", data={"lang": "de"})  # not offered: ignored
    assert '<html lang="en">' in page(client.get("/login"))
    client.post("/language", data={"lang": "fr", "next": "https://evil.example/"})
    assert '<html lang="fr">' in page(client.get("/login"))


@pytest.mark.parametrize("code,title", [(403, "Accès refusé"), (404, "Page introuvable"), (500, "Erreur interne")])
def test_error_pages_are_french_and_in_the_layout(app, code, title):
    def fail():
        if code == 500:
            raise RuntimeError("boom")
        abort(code)

    app.add_url_rule("/test/fail", "fail", fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/test/fail")
    text = page(response)
    assert response.status_code == code
    assert f"<h1>{title}</h1>" in text
    assert 'class="site-header"' in text and "Retour à l'accueil" in text
    assert "boom" not in text


def test_unknown_page_is_404_in_french(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in page(response)


NAV = {
    Role.applicant: set(),
    Role.reviewer: set(),
    Role.staff: {"Organismes"},
    Role.admin: {"Utilisateurs", "Organismes"},
}


@pytest.mark.parametrize("role", list(Role))
def test_navigation_fits_the_role(client, in_db, login, role):
    with in_db():
        user = create_user(role=role)
    login(user)
    text = page(client.get("/"))
    nav = text[text.index('class="main-nav"'):text.index("</nav>")]
    for label in ("Utilisateurs", "Organismes"):
        assert (f">{label}</a>" in nav) == (label in NAV[role]), (role, label)


@pytest.mark.parametrize("role,expected", [
    (Role.applicant, ["Mon organisme", "Habitat Témoin", "Mes dossiers"]),
    (Role.reviewer, ["Mes évaluations", "Conflits d'intérêts"]),
    (Role.staff, ["Instruction", "Consulter les organismes"]),
    (Role.admin, ["Gérer les utilisateurs", "Gérer les organismes"]),
])
def test_home_page_per_role(client, in_db, login, role, expected):
    with in_db():
        user = create_user(role=role, organisation=create_organisation(name="Habitat Témoin")
                           if role == Role.applicant else None)
    login(user)
    text = page(client.get("/"))
    for snippet in expected:
        assert snippet in text


def test_admin_home_counts_users_and_organisations(client, in_db, login):
    with in_db():
        admin = create_user(role=Role.admin)
        create_user(role=Role.applicant)  # and its organisation
        create_user(role=Role.staff, active=False)
    login(admin)
    text = page(client.get("/"))
    assert "3 comptes" in text and "2 actifs" in text and "1 organisme" in text
