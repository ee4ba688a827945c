from datetime import timedelta

from sqlmodel import select

from fsi.accounts.models import LoginAttempt, Role, User
from fsi.db import utcnow
from tests.accounts.helpers import page
from tests.factories import create_user


def test_a_signed_in_page_redirects_anonymous_to_login(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_then_home_shows_role_page(client, in_db, login):
    with in_db():
        user = create_user(role=Role.staff, full_name="Claire Dubois")
    login(user)
    text = page(client.get("/"))
    assert "Bonjour Claire Dubois" in text
    assert "Chargé(e) de mission" in text
    with in_db() as session:
        assert session.get(User, user.id).last_login_at is not None


def test_wrong_password_is_refused_in_french(client, in_db):
    with in_db():
        user = create_user()
    response = client.post("/login", data={"email": user.email, "password": "nope"})
    assert response.status_code == 422
    assert "Adresse de courriel ou mot de passe incorrect." in page(response)
    assert client.get("/profile").status_code == 302  # still signed out


def test_empty_login_form_says_what_is_missing(client):
    text = page(client.post("/login", data={"email": "", "password": ""}))
    assert "Saisissez votre adresse de courriel." in text
    assert "Saisissez votre mot de passe." in text


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


def test_logout_ends_the_session(client, in_db, login):
    with in_db():
        user = create_user()
    login(user)
    assert client.get("/profile").status_code == 200
    assert client.get("/logout").status_code == 405  # only POST: a link cannot sign anyone out
    response = client.post("/logout")
    assert response.headers["Location"].endswith("/login")
    assert client.get("/profile").status_code == 302


def test_remember_me_sets_a_lasting_cookie(app, in_db):
    with in_db():
        user = create_user()
    # plain clients: pytest-flask's ``client`` keeps its last context (and ``g``) pushed
    browser = app.test_client()
    response = browser.post("/login", data={"email": user.email, "password": "password", "remember": "y"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    assert "Expires=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # a fresh browser (no session) with only the remember cookie is signed in
    remember = browser.get_cookie("remember_token", domain="fsi.test")
    fresh = app.test_client()
    assert fresh.get("/profile").status_code == 302
    fresh.set_cookie("remember_token", remember.value, domain="fsi.test")
    assert fresh.get("/profile").status_code == 200


def test_deactivated_user_cannot_sign_in_and_is_signed_out(client, in_db, login):
    with in_db():
        user = create_user()
    login(user)
    with in_db() as session:
        session.get(User, user.id).active = False
    assert client.get("/profile").status_code == 302
    response = client.post("/login", data={"email": user.email, "password": "password"})
    assert "Adresse de courriel ou mot de passe incorrect." in page(response)


def failed_login(client, email, address="127.0.0.1"):
    return client.post("/login", data={"email": email, "password": "wrong-password"},
                       environ_base={"REMOTE_ADDR": address})


def test_throttled_per_account_even_with_the_right_password(app, client, in_db):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 3
    with in_db():
        user = create_user()
    for _ in range(3):
        assert "incorrect" in page(failed_login(client, user.email))
    response = client.post("/login", data={"email": user.email, "password": "password"})
    assert response.status_code == 422
    assert "Trop de tentatives de connexion infructueuses. Réessayez dans 15 minute(s)." in page(response)
    # another address does not help: the account is protected
    response = client.post("/login", data={"email": user.email, "password": "password"},
                           environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert "Trop de tentatives" in page(response)
    with in_db() as session:
        assert len(session.exec(select(LoginAttempt)).all()) == 3  # refusals are not counted


def test_throttle_lifts_when_failures_age_out(app, client, in_db):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 2
    with in_db():
        user = create_user()
    failed_login(client, user.email)
    failed_login(client, user.email)
    with in_db() as session:
        attempts = session.exec(select(LoginAttempt).order_by(LoginAttempt.id)).all()
        attempts[0].created_at = utcnow() - timedelta(minutes=16)
        attempts[1].created_at = utcnow() - timedelta(minutes=10)
    # one failure left in the window: the right password works, and clears the account's failures
    response = client.post("/login", data={"email": user.email, "password": "password"})
    assert response.status_code == 302
    with in_db() as session:
        assert session.exec(select(LoginAttempt).where(LoginAttempt.email == user.email)).all() == []


def test_wait_time_counts_from_the_oldest_failure(app, client, in_db):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 2
    with in_db():
        user = create_user()
    failed_login(client, user.email)
    failed_login(client, user.email)
    with in_db() as session:
        for attempt in session.exec(select(LoginAttempt)).all():
            attempt.created_at = utcnow() - timedelta(minutes=11, seconds=30)
    response = client.post("/login", data={"email": user.email, "password": "password"})
    assert "Réessayez dans 4 minute(s)." in page(response)


def test_throttled_per_address_across_accounts(app, client, in_db):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    with in_db():
        user = create_user()
    for n in range(3):
        failed_login(client, f"someone{n}@example.org", address="10.0.0.7")
    response = client.post("/login", data={"email": user.email, "password": "password"},
                           environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert "Trop de tentatives" in page(response)
    response = client.post("/login", data={"email": user.email, "password": "password"},
                           environ_base={"REMOTE_ADDR": "10.0.0.8"})
    assert response.status_code == 302


def test_protected_page_sends_to_login_with_a_french_message(client):
    response = client.get("/profile")
    assert response.headers["Location"].endswith("/login?next=%2Fprofile")
    assert "Connectez-vous pour accéder à cette page." in page(client.get(response.headers["Location"]))
