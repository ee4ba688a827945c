"""The API's fixtures: ``api_client(user)`` is a test client that sends a fresh token's bearer."""
import pytest
from sqlmodel import select

from fsi.accounts.models import User
from fsi.api import tokens
from fsi.api.models import ApiToken
from fsi.api.ratelimit import limiter
from tests.api.transitions_setup import make_cast


class ApiClient:
    """A test client sending ``Authorization: Bearer <token>`` (``.token``: its text)."""

    def __init__(self, client, token_text):
        self.client, self.token = client, token_text

    def _headers(self, kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def get(self, url, **kwargs):
        return self.client.get(url, headers=self._headers(kwargs), **kwargs)

    def post(self, url, **kwargs):
        return self.client.post(url, headers=self._headers(kwargs), **kwargs)

    def open(self, url, **kwargs):
        return self.client.open(url, headers=self._headers(kwargs), **kwargs)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app):
    """Each test starts with no request counted (the limiter's storage outlives the tables)."""
    limiter.reset()
    yield


@pytest.fixture
def make_token(in_db):
    """``make_token(user, name="test")`` → the token's text (committed)."""

    def make(user, name="test"):
        with in_db():
            token, text = tokens.create(user, name)
        return text

    return make


@pytest.fixture
def revoke_token(in_db):
    """``revoke_token(text)``: the token stops working (as its owner's revoke button does)."""

    def revoke(text):
        with in_db() as session:
            token = session.exec(select(ApiToken).where(ApiToken.token_hash == tokens.token_hash(text))).one()
            assert tokens.revoke(session.get(User, token.user_id), token.id)

    return revoke


@pytest.fixture
def api_client(app, make_token):
    """``api_client(user)`` → a client of its own sending a fresh token of ``user``;
    ``api_client(None)`` sends no token."""

    def make(user, name="test"):
        client = app.test_client()
        if user is None:
            return ApiClient(client, "")
        text = make_token(user, name)
        return ApiClient(client, text)

    return make


@pytest.fixture
def cast(in_db):
    """``cast(state)``: the people around one application in ``state`` (tests.api.transitions_setup)."""
    def make(state="submitted"):
        with in_db():
            return make_cast(state)

    return make
