from fsi.accounts.models import Role
from tests.factories import create_user


def test_home_redirects_anonymous_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_login_then_home_shows_role_page(client, in_db, login):
    with in_db():
        user = create_user(role=Role.staff, full_name="Claire Dubois")
    login(user)
    page = client.get("/").get_data(as_text=True)
    assert "Bonjour Claire Dubois" in page
    assert "Chargé(e) de mission" in page


def test_wrong_password_is_refused_in_french(client, in_db):
    with in_db():
        user = create_user()
    response = client.post("/login", data={"email": user.email, "password": "nope"})
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.get_data(as_text=True)


def test_next_must_stay_on_site(client, in_db):
    with in_db():
        user = create_user()
    response = client.post("/login", data={"email": user.email, "password": "password",
                                           "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login", data={"email": user.email.upper(), "password": "password",
                                           "next": "/profile"})
    assert response.headers["Location"] == "/profile"
