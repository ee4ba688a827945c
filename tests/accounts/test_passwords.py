"""Password change, and the one-time reset link: expiry, single use, no account enumeration."""
import re
from datetime import timedelta

from sqlmodel import select
from werkzeug.security import check_password_hash

from fsi.accounts.models import AuthToken, TokenPurpose, User
from fsi.accounts.tokens import token_hash
from fsi.db import utcnow
from tests.accounts.helpers import link_token, outbox, page
from tests.factories import create_user

NEW = "une phrase de passe neuve"


def test_change_password_requires_the_current_one(client, in_db, login):
    with in_db():
        user = create_user()
    login(user)
    response = client.post("/profile/password", data={"current_password": "wrong", "password": NEW,
                                                      "confirm": NEW})
    assert "Le mot de passe actuel est incorrect." in page(response)
    with in_db() as session:
        assert check_password_hash(session.get(User, user.id).password_hash, "password")


def test_change_password_bad_input_per_field(client, in_db, login):
    with in_db():
        user = create_user()
    login(user)
    text = page(client.post("/profile/password", data={"current_password": "", "password": "court",
                                                       "confirm": "autre"}))
    assert "Saisissez votre mot de passe actuel." in text
    assert "Le mot de passe doit comporter entre 10 et 200 caractères." in text
    assert "Les deux mots de passe ne sont pas identiques." in text
    with in_db() as session:
        stored = session.get(User, user.id)
        assert stored.session_version == 1
        assert outbox(session) == []


def test_change_password_signs_out_other_sessions_only(app, in_db):
    with in_db():
        user = create_user()
    # two browsers; plain clients, since pytest-flask's ``client`` keeps its last context pushed
    client, other = app.test_client(), app.test_client()
    for browser in (other, client):
        browser.post("/login", data={"email": user.email, "password": "password"})
    assert other.get("/profile").status_code == 200
    response = client.post("/profile/password", data={"current_password": "password", "password": NEW,
                                                      "confirm": NEW})
    assert response.headers["Location"].endswith("/profile")
    assert client.get("/profile").status_code == 200  # this session goes on
    assert other.get("/profile").status_code == 302  # the other one is over
    with in_db() as session:
        stored = session.get(User, user.id)
        assert stored.session_version == 2
        assert check_password_hash(stored.password_hash, NEW)
        assert [m.subject for m in outbox(session, user.email)] == ["Votre mot de passe FSI a été modifié"]


def request_reset(client, email):
    return client.post("/password/forgot", data={"email": email})


def test_forgot_password_does_not_reveal_whether_an_account_exists(client, in_db):
    with in_db():
        user = create_user()
    answers = []
    for email in (user.email, "nobody@example.org"):
        response = request_reset(client, email)
        assert response.status_code == 302
        # the language form's CSRF token is time-stamped: left aside
        answers.append(re.sub(r'name="csrf_token" value="[^"]+"', "", page(client.get(response.headers["Location"]))))
    assert "Si un compte actif correspond à cette adresse" in answers[0]
    assert answers[0] == answers[1]
    with in_db() as session:
        assert [m.recipient for m in outbox(session)] == [user.email]


def test_forgot_password_bad_email(client, in_db):
    text = page(request_reset(client, "pas-une-adresse"))
    assert "Cette adresse de courriel n'est pas valide." in text


def test_reset_link_sets_the_password_once(client, in_db):
    with in_db():
        user = create_user()
    request_reset(client, user.email)
    with in_db() as session:
        raw = link_token(outbox(session, user.email)[0])
        token = session.exec(select(AuthToken)).one()
        assert token.purpose == TokenPurpose.reset
        assert token.token_hash == token_hash(raw) and raw not in token.token_hash  # only the hash is kept
    assert client.get(f"/password/reset/{raw}").status_code == 200
    response = client.post(f"/password/reset/{raw}", data={"password": NEW, "confirm": NEW})
    assert response.headers["Location"].endswith("/login")
    assert client.post("/login", data={"email": user.email, "password": NEW}).status_code == 302
    client.post("/logout")
    # used: the link is dead
    second = client.post(f"/password/reset/{raw}", data={"password": "encore une autre", "confirm": "encore une autre"})
    assert second.status_code == 404
    assert "Ce lien n'est plus valable" in page(second)
    with in_db() as session:
        assert check_password_hash(session.get(User, user.id).password_hash, NEW)


def test_reset_link_expires(app, client, in_db):
    with in_db():
        user = create_user()
    request_reset(client, user.email)
    with in_db() as session:
        raw = link_token(outbox(session, user.email)[0])
        token = session.exec(select(AuthToken)).one()
        assert abs(token.expires_at - (utcnow() + timedelta(hours=app.config["PASSWORD_RESET_HOURS"]))) \
            < timedelta(minutes=1)
        token.expires_at = utcnow() - timedelta(seconds=1)
    response = client.post(f"/password/reset/{raw}", data={"password": NEW, "confirm": NEW})
    assert response.status_code == 404
    with in_db() as session:
        assert check_password_hash(session.get(User, user.id).password_hash, "password")


def test_a_new_reset_link_replaces_the_previous(client, in_db):
    with in_db():
        user = create_user()
    request_reset(client, user.email)
    request_reset(client, user.email)
    with in_db() as session:
        first, second = [link_token(m) for m in outbox(session, user.email)]
    assert client.get(f"/password/reset/{first}").status_code == 404
    assert client.get(f"/password/reset/{second}").status_code == 200


def test_reset_form_bad_input_keeps_the_link(client, in_db):
    with in_db():
        user = create_user()
    request_reset(client, user.email)
    with in_db() as session:
        raw = link_token(outbox(session, user.email)[0])
    text = page(client.post(f"/password/reset/{raw}", data={"password": "", "confirm": ""}))
    assert "Choisissez un mot de passe." in text
    assert "Confirmez le mot de passe." in text
    assert client.get(f"/password/reset/{raw}").status_code == 200


def test_unknown_token_is_refused(client):
    assert client.get("/password/reset/not-a-token").status_code == 404


def test_password_change_voids_remember_me_cookies(app, in_db):
    with in_db():
        user = create_user()
    laptop, phone = app.test_client(), app.test_client()
    laptop.post("/login", data={"email": user.email, "password": "password", "remember": "y"})
    remember = laptop.get_cookie("remember_token", domain="fsi.test").value
    phone.post("/login", data={"email": user.email, "password": "password"})
    phone.post("/profile/password", data={"current_password": "password", "password": NEW, "confirm": NEW})
    stolen = app.test_client()
    stolen.set_cookie("remember_token", remember, domain="fsi.test")
    assert stolen.get("/profile").status_code == 302
