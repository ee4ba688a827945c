"""Personal API tokens: created on the account page (shown once, stored hashed), listed with their
last use, revoked at once; ``flask fsi create-token`` does the same from the command line."""
import hashlib
import re

from sqlmodel import select

from fsi.accounts.models import Role
from fsi.api.models import ApiToken
from tests.factories import create_user


def tokens_of(in_db, user_id):
    with in_db() as session:
        return session.exec(select(ApiToken).where(ApiToken.user_id == user_id)).all()


def test_the_account_page_creates_a_token_shown_once_and_stored_hashed(client, in_db, login):
    with in_db():
        user = create_user()
    login(user)
    page = client.get("/profile").get_data(as_text=True)
    assert "Jetons d'API" in page and "Aucun jeton pour l'instant." in page
    created = client.post("/profile/api-tokens", data={"name": "Export SIG"})
    assert created.status_code == 201
    html = created.get_data(as_text=True)
    shown = re.search(r'id="new-api-token" type="text" readonly value="(fsi_[^"]+)"', html).group(1)
    assert "il ne sera plus jamais affiché" in html
    [token] = tokens_of(in_db, user.id)
    assert (token.name, token.prefix) == ("Export SIG", shown[:8])
    assert token.token_hash == hashlib.sha256(shown.encode()).hexdigest()
    assert shown not in {token.name, token.token_hash, token.prefix}
    again = client.get("/profile").get_data(as_text=True)
    assert shown not in again and "Export SIG" in again and shown[:8] in again  # never shown again
    assert client.get("/api/v1/calls", headers={"Authorization": f"Bearer {shown}"}).status_code == 200


def test_a_token_needs_a_name(client, in_db, login):
    with in_db():
        user = create_user()
    login(user)
    response = client.post("/profile/api-tokens", data={"name": "   "})
    assert response.status_code == 302
    assert tokens_of(in_db, user.id) == []


def test_revoking_works_at_once_and_only_for_the_owner(client, in_db, login, make_token, app):
    with in_db():
        owner, other = create_user(), create_user(role=Role.staff)
    text = make_token(owner, "Batch nocturne")
    [token] = tokens_of(in_db, owner.id)
    api = app.test_client()
    assert api.get("/api/v1/calls", headers={"Authorization": f"Bearer {text}"}).status_code == 200
    login(other)
    client.post(f"/profile/api-tokens/{token.id}/revoke")
    assert tokens_of(in_db, owner.id)[0].revoked_at is None  # not theirs: nothing happens
    client.post("/logout")
    login(owner)
    assert client.post(f"/profile/api-tokens/{token.id}/revoke").status_code == 302
    assert tokens_of(in_db, owner.id)[0].revoked_at is not None
    refused = api.get("/api/v1/calls", headers={"Authorization": f"Bearer {text}"})
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorized"
    assert "Batch nocturne" not in client.get("/profile").get_data(as_text=True)  # a revoked token leaves the list


def test_the_token_forms_need_the_csrf_token(csrf_app, in_db, login, client):
    with in_db():
        user = create_user()
    response = client.post("/login", data={"email": user.email, "password": "password"})
    assert response.status_code in (400, 302)  # the login form itself wants it too
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_version}"
        session["_fresh"] = True
    assert client.post("/profile/api-tokens", data={"name": "x"}).status_code == 400
    assert tokens_of(in_db, user.id) == []


def test_last_use_is_noted_at_most_once_a_minute(app, in_db, make_token):
    with in_db():
        user = create_user()
    text = make_token(user)
    api = app.test_client()
    assert tokens_of(in_db, user.id)[0].last_used_at is None
    api.get("/api/v1/calls", headers={"Authorization": f"Bearer {text}"})
    first = tokens_of(in_db, user.id)[0].last_used_at
    assert first is not None
    api.get("/api/v1/calls", headers={"Authorization": f"Bearer {text}"})
    assert tokens_of(in_db, user.id)[0].last_used_at == first


def test_cli_prints_the_token_alone_on_its_last_line(app, in_db):
    with in_db():
        user = create_user(email="cli@example.org")
    result = app.test_cli_runner().invoke(args=["fsi", "create-token", "CLI@example.org", "--name", "Secrétariat"])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"fsi_[A-Za-z0-9_-]{43}", last)
    [token] = tokens_of(in_db, user.id)
    assert token.name == "Secrétariat" and token.token_hash == hashlib.sha256(last.encode()).hexdigest()
    answer = app.test_client().get("/api/v1/calls", headers={"Authorization": f"Bearer {last}"})
    assert answer.status_code == 200


def test_cli_refuses_an_unknown_or_inactive_account(app, in_db):
    with in_db():
        create_user(email="gone@example.org", active=False)
    for email in ("nobody@example.org", "gone@example.org"):
        result = app.test_cli_runner().invoke(args=["fsi", "create-token", email])
        assert result.exit_code != 0 and "Aucun compte actif" in result.output
    with in_db() as session:
        assert session.exec(select(ApiToken)).all() == []
