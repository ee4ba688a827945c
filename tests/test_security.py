"""Security baseline: CSRF on every form, headers on every response, cookie flags, error pages."""
import re

import pytest
from sqlmodel import select
from werkzeug.security import check_password_hash

from fsi.accounts.models import Role, User
from tests.accounts.helpers import page
from tests.factories import create_user


def token_from(client, url):
    """The CSRF token a page's form carries."""
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_login_without_csrf_token_is_refused(csrf_app, in_db):
    with in_db():
        user = create_user()
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": user.email, "password": "password"})
    assert response.status_code == 400
    assert "Requête invalide" in page(response)
    assert client.get("/profile").status_code == 302
    token = token_from(client, "/login")
    response = client.post("/login", data={"email": user.email, "password": "password", "csrf_token": token})
    assert response.status_code == 302


def signed_in(csrf_app, user):
    client = csrf_app.test_client()
    token = token_from(client, "/login")
    client.post("/login", data={"email": user.email, "password": "password", "csrf_token": token})
    return client


def test_admin_invite_without_csrf_token_changes_nothing(csrf_app, in_db):
    with in_db():
        admin = create_user(role=Role.admin)
    client = signed_in(csrf_app, admin)
    response = client.post("/admin/users/invite", data={"email": "x@example.org", "full_name": "X",
                                                        "role": "staff"})
    assert response.status_code == 400
    with in_db() as session:
        assert session.exec(select(User).where(User.email == "x@example.org")).first() is None


def test_password_change_without_csrf_token_changes_nothing(csrf_app, in_db):
    with in_db():
        user = create_user()
    client = signed_in(csrf_app, user)
    new = "un tout nouveau mot de passe"
    response = client.post("/profile/password", data={"current_password": "password", "password": new,
                                                      "confirm": new})
    assert response.status_code == 400
    with in_db() as session:
        assert check_password_hash(session.get(User, user.id).password_hash, "password")


def test_logout_and_language_need_the_token_too(csrf_app, in_db):
    with in_db():
        user = create_user()
    client = signed_in(csrf_app, user)
    assert client.post("/logout").status_code == 400
    assert client.get("/profile").status_code == 200
    assert client.post("/language", data={"lang": "en"}).status_code == 400


@pytest.mark.parametrize("url", ["/login", "/does-not-exist", "/static/css/fsi.css", "/", "/password/forgot"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    response.close()  # static files are streamed
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def session_cookie(response):
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))


def test_session_cookie_flags_in_development(client, in_db):
    with in_db():
        user = create_user()
    cookie = session_cookie(client.post("/login", data={"email": user.email, "password": "password"}))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_in_production(app, in_db):
    app.config.update(SESSION_COOKIE_SECURE=True)  # what FSI_ENV=production sets (see test_config)
    with in_db():
        user = create_user()
    cookie = session_cookie(app.test_client().post("/login", data={"email": user.email, "password": "password"}))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_inline_script_in_pages(client, in_db, login):
    with in_db():
        user = create_user(role=Role.admin)
    login(user)
    for url in ("/", "/admin/users", "/admin/users/invite", "/admin/organisations", "/profile"):
        html = client.get(url).get_data(as_text=True)
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, (url, tag)
        assert " onclick=" not in html and " onload=" not in html


def test_hsts_only_in_production(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["ENV"] = "production"
    assert app.test_client().get("/login").headers["Strict-Transport-Security"] == "max-age=31536000"
