"""Links in emails come from SERVER_URL only: a forged Host header never reaches a mail."""
from functools import partial

import pytest
from sqlmodel import select

from fsi.accounts.models import Role, User
from fsi.accounts.services import request_password_reset
from fsi.db import db
from fsi.mail.render import absolute_url
from tests.accounts.helpers import outbox
from tests.factories import create_organisation, create_user

SERVER_URL = "https://fsi.example.org/fonds"


@pytest.fixture
def forged(app):
    """Posts from a browser whose every request claims to be for evil.example (Host and forwarded headers)."""
    app.config.update(SERVER_URL=SERVER_URL, SERVER_NAME=None)  # as in production: no SERVER_NAME either
    return partial(app.test_client().post, base_url="http://evil.example",
                   headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"})


def assert_link_is_ours(message):
    assert "evil.example" not in message.body
    links = [word for word in message.body.split() if "://" in word]
    assert links and all(link.startswith(SERVER_URL + "/password/reset/") for link in links), message.body


def test_forgot_password_with_a_forged_host(forged, in_db):
    with in_db():
        user = create_user()
    assert forged("/password/forgot", data={"email": user.email}).status_code == 302
    with in_db() as session:
        [message] = outbox(session, user.email)
        assert_link_is_ours(message)


def test_admin_invitation_with_a_forged_host(forged, in_db):
    with in_db():
        admin = create_user(role=Role.admin)
        organisation = create_organisation()
    assert forged("/login", data={"email": admin.email, "password": "password"}).status_code == 302
    response = forged("/admin/users/invite", data={"email": "nouveau@example.org", "full_name": "Nouveau",
                                                        "role": "applicant", "organisation_id": str(organisation.id)})
    assert response.status_code == 302
    with in_db() as session:
        invited = session.exec(select(User).where(User.email == "nouveau@example.org")).one()
    assert forged(f"/admin/users/{invited.id}/invite", data={"version": "1"}).status_code == 302
    with in_db() as session:
        messages = outbox(session, "nouveau@example.org")
    assert len(messages) == 2  # the invitation, and the one sent again
    for message in messages:
        assert_link_is_ours(message)


def test_a_mail_queued_without_a_request_links_to_server_url(app, in_db):
    """A CLI command has no request: the link is built all the same."""
    app.config["SERVER_URL"] = SERVER_URL
    with in_db():
        user = create_user()
    with app.app_context():
        assert absolute_url("accounts.reset_password", token="abc") == SERVER_URL + "/password/reset/abc"
        request_password_reset(user.email)
        db.commit()
    with in_db() as session:
        assert_link_is_ours(outbox(session, user.email)[0])
