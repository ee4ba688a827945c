"""Whole pages kept per visitor (fsi.cache.kept_page): served again to the same session for the same
URL until the data changes or PAGE_CACHE_SECONDS pass, before the user is even loaded; never to
another visitor; never a page that changed the session; never once what the access checks read has
changed (a sign-out, a token revoked)."""
import re
import time

import pytest
from sqlmodel import update

from fsi.accounts.models import Role
from fsi.api import tokens
from fsi.api.models import ApiToken
from fsi.applications.models import Application
from fsi.cache import changes_access
from fsi.db import db, utcnow
from tests.factories import create_application, create_call, create_organisation, create_user
from tests.queries import count_statements


@pytest.fixture
def fund(in_db):
    """A staff member, two organisations with an applicant each, a submitted application of each."""
    with in_db():
        call = create_call()
        ours, theirs = create_organisation(name="Habitat Nord"), create_organisation(name="Logis Sud")
        people = {"staff": create_user(role=Role.staff), "ours": create_user(organisation=ours),
                  "theirs": create_user(organisation=theirs)}
        files = {"ours": create_application(call, ours, state="submitted", title="Toitures végétalisées"),
                 "theirs": create_application(call, theirs, state="submitted", title="Chaufferie bois")}
        return people, {name: a.id for name, a in files.items()}


@pytest.fixture
def staff_token(in_db, fund):
    """The staff member's API token, and the headers that send it."""
    people, _files = fund
    with in_db():
        token, text = tokens.create(people["staff"], "intégration")
    return token, {"Authorization": f"Bearer {text}"}


def view_twice(app, client, path):
    """The page as made and as served again, and the statements the second view ran. (Two pages
    made apart may differ: the CSRF token's signature carries the second it was made.)"""
    assert client.get(path).status_code == 200  # the session's first page creates its CSRF token: not kept
    made = client.get(path)
    assert made.status_code == 200
    with count_statements(app, fresh=False) as seen:
        again = client.get(path)
    return made.get_data(as_text=True), again.get_data(as_text=True), seen


def test_a_page_is_served_again_until_the_data_changes(app, client, in_db, login, fund):
    people, files = fund
    login(people["staff"])
    first, again, seen = view_twice(app, client, "/tracking/search")
    assert again == first and "Toitures végétalisées" in again
    assert len(seen) == 1 and "data_generation" in seen[0], seen  # not even the user's row
    with in_db() as session:
        session.get(Application, files["ours"]).title = "Toitures et façades végétalisées"
    changed = client.get("/tracking/search").get_data(as_text=True)
    assert "Toitures et façades végétalisées" in changed


def signed_in(app, user):
    other = app.test_client()
    assert other.post("/login", data={"email": user.email, "password": "password"}).status_code == 302
    return other


def test_a_page_is_never_served_to_another_visitor(app, client, login, fund):
    people, files = fund
    path = f"/applications/{files['ours']}"
    theirs, anonymous = signed_in(app, people["theirs"]), app.test_client()  # signing in writes: first
    login(people["ours"])
    assert "Toitures végétalisées" in view_twice(app, client, path)[1]
    response = anonymous.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert theirs.get(path).status_code == 404  # another organisation's file stays hidden


def test_staff_and_applicant_see_their_own_page_of_one_file(app, client, login, fund):
    people, files = fund
    path = f"/applications/{files['ours']}"
    staff = signed_in(app, people["staff"])
    login(people["ours"])
    applicant_page = view_twice(app, client, path)[1]
    staff_page = staff.get(path).get_data(as_text=True)
    assert staff_page != applicant_page
    assert people["staff"].full_name in staff_page and people["ours"].full_name in applicant_page


def test_a_page_that_shows_a_message_is_not_kept(app, client, login, fund):
    people, _files = fund
    login(people["staff"])
    client.get("/tracking/search")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Message à lire une fois.")]
    assert "Message à lire une fois." in client.get("/tracking/search").get_data(as_text=True)
    assert "Message à lire une fois." not in client.get("/tracking/search").get_data(as_text=True)


def test_a_kept_page_expires(app, client, login, fund):
    people, files = fund
    login(people["ours"])
    store, _lock = app.extensions["fsi.pages"]
    assert store.ttl == app.config["PAGE_CACHE_SECONDS"] > 0
    path = f"/applications/{files['ours']}"
    assert len(view_twice(app, client, path)[2]) == 1
    store.expire(time.monotonic() + store.ttl + 1)  # as if the time had passed
    with count_statements(app, fresh=False) as seen:
        assert "Toitures végétalisées" in client.get(path).get_data(as_text=True)
    assert len(seen) > 1  # made again


def test_signing_out_ends_what_the_session_was_served(app, client, login, fund):
    people, _files = fund
    login(people["staff"])
    view_twice(app, client, "/tracking/")
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name, domain="fsi.test").value
    assert client.post("/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie(name, cookie, domain="fsi.test")  # a copy of the cookie taken before the sign-out
    response = replay.get("/tracking/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_revoked_token_gets_no_kept_answer(app, client, in_db, fund, staff_token):
    people, _files = fund
    token, headers = staff_token
    first = client.get("/api/v1/applications", headers=headers)
    with count_statements(app, fresh=False) as seen:
        again = client.get("/api/v1/applications", headers=headers)
    assert first.status_code == 200 and again.get_json() == first.get_json()
    assert len(seen) == 1, seen  # the generation: the token is not read again
    with in_db():
        assert tokens.revoke(people["staff"], token.id)
    assert client.get("/api/v1/applications", headers=headers).status_code == 401


def test_a_deactivated_account_gets_no_kept_page(app, client, in_db, login, fund):
    people, _files = fund
    login(people["staff"])
    assert len(view_twice(app, client, "/tracking/")[2]) == 1  # kept
    with in_db() as session:
        session.get(type(people["staff"]), people["staff"].id).active = False
    response = client.get("/tracking/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_kept_answers_of_the_api_count_against_its_rate_limit(app, client, staff_token):
    _token, headers = staff_token
    app.config["API_RATE_LIMIT"] = "3 per minute"
    answers = [client.get("/api/v1/applications", headers=headers).status_code for _ in range(2)]
    with count_statements(app, fresh=False) as seen:
        answers.append(client.get("/api/v1/applications", headers=headers).status_code)
    answers.append(client.get("/api/v1/applications", headers=headers).status_code)
    assert len(seen) == 1  # the third was a kept answer
    assert answers == [200, 200, 200, 429]


def test_a_token_revoked_while_its_answer_is_made_gets_no_kept_answer(app, client, staff_token, monkeypatch):
    """The token is checked, then revoked elsewhere before the answer is made: the answer is filed
    under the generation read before the check, so the next request checks the token again."""
    token, headers = staff_token
    touch = tokens.touch

    def touched_then_revoked_elsewhere(found):
        touch(found)  # a transaction of its own, committed
        with db.separate_transaction() as session:
            session.exec(update(ApiToken).where(ApiToken.id == token.id).values(revoked_at=utcnow()))
            changes_access(session)

    monkeypatch.setattr(tokens, "touch", touched_then_revoked_elsewhere)
    assert client.get("/api/v1/applications", headers=headers).status_code == 200
    monkeypatch.setattr(tokens, "touch", touch)
    assert client.get("/api/v1/applications", headers=headers).status_code == 401


def test_no_page_is_kept_when_the_setting_is_zero(app, client, login, fund):
    people, _files = fund
    app.config["PAGE_CACHE_SECONDS"] = 0
    try:
        login(people["staff"])
        with count_statements(app, fresh=False) as seen:
            view_twice(app, client, "/tracking/search")
        store, _lock = app.extensions["fsi.pages"]
        assert len(store) == 0 and len(seen) > 6
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 60



def test_a_page_that_changed_the_session_is_not_kept(app, client, login, fund):
    """A session's first page creates its CSRF token: served again to a copy of the cookie taken
    before, it would carry a token that session never held, and its forms would be refused."""
    people, _files = fund
    login(people["staff"])
    name = app.config["SESSION_COOKIE_NAME"]
    with client.session_transaction() as session:
        session.pop("csrf_token", None)
    before = client.get_cookie(name, domain="fsi.test").value
    pages = []
    for _ in range(2):
        copy = app.test_client()
        copy.set_cookie(name, before, domain="fsi.test")
        pages.append(copy.get("/tracking/search").get_data(as_text=True))
    tokens_seen = [re.search(r'name="csrf_token" value="([^"]+)"', page).group(1) for page in pages]
    assert tokens_seen[0] != tokens_seen[1]
